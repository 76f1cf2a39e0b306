import Testing
import TradewindCore
import TradewindVenues

/// `poll(openOrders:)`: what happened at the venue to the engine's open orders.
@Suite(.serialized, .fakeBinance) struct BinancePollTests {
    @Test func reportsOnlyFillsTheEngineHasNotApplied() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server)
        let order = approved(uniqueOrderId("part"), .buy, "1", limit: "60000")
        let placed = try await adapter.submit(order)
        try await server.fill(clientOrderId: order.clientOrderId, quantity: "0.4")
        let first = try await adapter.poll(openOrders: [engineOrder(order, applying: placed)])
        #expect(first.compactMap(\.fill).map(\.quantity) == [qty("0.4")])

        try await server.fill(clientOrderId: order.clientOrderId, quantity: "0.3")
        let second = try await adapter.poll(openOrders: [engineOrder(order, applying: placed + first)])
        #expect(second.map(\.name) == ["filled"])
        #expect(second.compactMap(\.fill).map(\.quantity) == [qty("0.3")])
        _ = try await adapter.cancel(clientOrderId: order.clientOrderId, instrument: btcusdt)
    }

    @Test func reportsCancelMadeOutsideTheEngineAfterItsFills() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server)
        let other = try binanceAdapter(server)
        let order = approved(uniqueOrderId("ext"), .sell, "2", limit: "70000")
        let placed = try await adapter.submit(order)
        try await server.fill(clientOrderId: order.clientOrderId, quantity: "0.5")
        _ = try await other.cancel(clientOrderId: order.clientOrderId, instrument: btcusdt)

        let events = try await adapter.poll(openOrders: [engineOrder(order, applying: placed)])
        #expect(events.map(\.name) == ["filled", "canceled"])
        #expect(events.last?.reason?.code == .canceled)
    }

    @Test func reportsAcceptanceTheEngineNeverSaw() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server)
        let order = approved(uniqueOrderId("lost"), .buy, "0.1", limit: "50000")
        try await server.fail(status: 500, code: -1000, message: "An unknown error occurred while processing the request.",
                              path: "/api/v3/order", method: "POST", process: true)
        await #expect(throws: VenueError.unknownOutcome(message: "-1000 An unknown error occurred while processing the request.")) {
            try await adapter.submit(order)
        }
        let events = try await adapter.poll(openOrders: [engineOrder(order, applying: [])])
        #expect(events.map(\.name) == ["accepted"])
        _ = try await adapter.cancel(clientOrderId: order.clientOrderId, instrument: btcusdt)
    }

    @Test func reportsNotFoundForOrderTheVenueNeverGot() async throws {
        let adapter = try binanceAdapter(try currentServer())
        let order = approved(uniqueOrderId("gone"), .buy, "0.1", limit: "50000")
        let events = try await adapter.poll(openOrders: [engineOrder(order, applying: [])])
        #expect(events.map(\.name) == ["notFound"])
    }

    @Test func queriesAtMostTheConfiguredNumberOfOrdersLeastRecentlyPolledFirst() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server, maxOrdersPerPoll: 2)
        var orders: [Order] = []
        for index in 0..<3 {
            let order = approved(uniqueOrderId("b\(index)"), .buy, "0.01", limit: "40000")
            orders.append(try engineOrder(order, applying: try await adapter.submit(order)))
        }
        try await server.fill(clientOrderId: orders[2].clientOrderId, quantity: "0.01")
        let before = try await server.state().count("GET", "/api/v3/order")

        let first = try await adapter.poll(openOrders: orders)
        let afterFirst = try await server.state().count("GET", "/api/v3/order")
        let second = try await adapter.poll(openOrders: orders)

        #expect(afterFirst - before == 2)
        #expect(first.isEmpty)
        #expect(second.map(\.clientOrderId) == [orders[2].clientOrderId])
        for order in orders.prefix(2) {
            _ = try await adapter.cancel(clientOrderId: order.clientOrderId, instrument: btcusdt)
        }
    }

    @Test func ignoresOrdersOfOtherVenuesAndFinishedOrders() async throws {
        let adapter = try binanceAdapter(try currentServer())
        let simulated = approved(uniqueOrderId("sim"), .buy, "1", limit: "1", instrument: InstrumentId("SIM:BTCUSDT")!)
        var finished = Order(approved: approved(uniqueOrderId("fin"), .buy, "1", limit: "1"))
        try finished.apply(.submitted, timeNs: 1)
        try finished.apply(.rejected(reason: OrderReason(.rejectedAtVenue, "test")), timeNs: 2)
        #expect(try await adapter.poll(openOrders: [engineOrder(simulated, applying: []), finished]).isEmpty)
    }
}
