import Testing
import TradewindCore
import TradewindVenues

/// Orders through the adapter against the fake venue: placement, fills, cancels and queries.
@Suite(.serialized, .fakeBinance) struct BinanceOrderFlowTests {
    @Test func restsLimitOrderThenReportsItsMakerFillThroughQueryAndPoll() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server)
        try await server.setPrice("BTCUSDT", "65000")
        let order = approved(uniqueOrderId("rest"), .buy, "0.1", limit: "64000")

        let placed = try await adapter.submit(order)
        #expect(placed.map(\.name) == ["accepted"])
        let venueOrderId = try #require(placed.first?.venueOrderId)
        let working = try await adapter.query(clientOrderId: order.clientOrderId, instrument: btcusdt)
        #expect(working.map(\.name) == ["orderStatus"])
        #expect(working.last?.snapshot?.state == .open)
        #expect(working.last?.snapshot?.limitPrice == px("64000"))

        try await server.setPrice("BTCUSDT", "63900")

        let filled = try await adapter.query(clientOrderId: order.clientOrderId, instrument: btcusdt)
        #expect(filled.map(\.name) == ["filled", "orderStatus"])
        #expect(filled.first?.fill == FillFacts(quantity: qty("0.1"), price: px("64000"), fee: money("6.4"), liquidity: .maker))
        let snapshot = try #require(filled.last?.snapshot)
        #expect(snapshot.state == .filled)
        #expect(snapshot.filledQuantity == qty("0.1"))
        #expect(snapshot.averagePrice == px("64000"))
        #expect(snapshot.venueOrderId == venueOrderId)
        #expect(snapshot.clientOrderId == order.clientOrderId)

        let engine = try engineOrder(order, applying: placed)
        let polled = try await adapter.poll(openOrders: [engine])
        #expect(polled.map(\.name) == ["filled"])
        #expect(polled.first?.tradeId == filled.first?.tradeId)
        #expect(try await adapter.poll(openOrders: [engineOrder(order, applying: placed + polled)]).isEmpty)
    }

    @Test func fillsMarketOrderAtOnceWithTakerFeeInQuoteAsset() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server)
        try await server.setPrice("BTCUSDT", "65000")
        let order = approved(uniqueOrderId("mkt"), .buy, "0.5")
        let events = try await adapter.submit(order)
        #expect(events.map(\.name) == ["accepted", "filled"])
        #expect(events[1].fill == FillFacts(quantity: qty("0.5"), price: px("65000"), fee: money("32.5"), liquidity: .taker))
        #expect(events[1].tradeId?.hasPrefix("BTCUSDT-") == true)
        #expect(events.allSatisfy { $0.clientOrderId == order.clientOrderId })
        #expect(events[0].timeNs > 1_600_000_000_000_000_000)
    }

    @Test func expiresUnfilledRestOfIOCOrder() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server)
        try await server.setPrice("ETHUSDT", "3000", size: "1.5")
        let order = approved(uniqueOrderId("ioc"), .buy, "4", limit: "3100", timeInForce: .ioc, instrument: ethusdt)
        let events = try await adapter.submit(order)
        #expect(events.map(\.name) == ["accepted", "filled", "expired"])
        #expect(events[1].fill == FillFacts(quantity: qty("1.5"), price: px("3000"), fee: money("4.5"), liquidity: .taker))
        #expect(events[2].reason == OrderReason(.expiredAtVenue, "status EXPIRED"))
        let engine = try engineOrder(order, applying: events)
        #expect(engine.status == .expired)
        #expect(engine.filledQuantity == qty("1.5"))
        try await server.setPrice("ETHUSDT", "3000")
    }

    @Test func expiresIOCOrderThatCannotTrade() async throws {
        let adapter = try binanceAdapter(try currentServer())
        let events = try await adapter.submit(approved(uniqueOrderId("ioc0"), .sell, "1", limit: "99999", timeInForce: .ioc))
        #expect(events.map(\.name) == ["accepted", "expired"])
        #expect(events.last?.reason == OrderReason(.expiredAtVenue, "status EXPIRED"))
    }

    @Test func cancelsRestingOrder() async throws {
        let adapter = try binanceAdapter(try currentServer())
        let order = approved(uniqueOrderId("cxl"), .sell, "0.2", limit: "90000")
        _ = try await adapter.submit(order)
        let canceled = try await adapter.cancel(clientOrderId: order.clientOrderId, instrument: btcusdt)
        #expect(canceled.map(\.name) == ["canceled"])
        #expect(canceled.first?.reason?.code == .canceled)
        let status = try await adapter.query(clientOrderId: order.clientOrderId, instrument: btcusdt)
        #expect(status.last?.snapshot?.state == .canceled)
    }

    @Test func cancelReportsFillsBeforeTheCancel() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server)
        let order = approved(uniqueOrderId("pcxl"), .buy, "1", limit: "60000")
        _ = try await adapter.submit(order)
        try await server.fill(clientOrderId: order.clientOrderId, quantity: "0.4")
        let events = try await adapter.cancel(clientOrderId: order.clientOrderId, instrument: btcusdt)
        #expect(events.map(\.name) == ["filled", "canceled"])
        #expect(events.first?.fill == FillFacts(quantity: qty("0.4"), price: px("60000"), fee: money("24"), liquidity: .maker))
    }

    @Test func refusesCancelOfUnknownOrder() async throws {
        let adapter = try binanceAdapter(try currentServer())
        let events = try await adapter.cancel(clientOrderId: "TW-never-sent", instrument: btcusdt)
        #expect(events.map(\.name) == ["cancelRejected"])
        #expect(events.first?.reason == OrderReason(.unknownOrder, "-2011: Unknown order sent."))
    }

    @Test func refusesCancelOfFilledOrder() async throws {
        let adapter = try binanceAdapter(try currentServer())
        let order = approved(uniqueOrderId("done"), .sell, "0.01")
        _ = try await adapter.submit(order)
        let events = try await adapter.cancel(clientOrderId: order.clientOrderId, instrument: btcusdt)
        #expect(events.map(\.name) == ["cancelRejected"])
    }

    @Test func reportsCancelThatAnEarlierAttemptAlreadyMade() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server)
        let order = approved(uniqueOrderId("twice"), .sell, "0.2", limit: "90000")
        _ = try await adapter.submit(order)
        try await server.fail(status: 500, code: -1000, message: "An unknown error occurred while processing the request.",
                              path: "/api/v3/order", method: "DELETE", process: true)
        await #expect(throws: VenueError.self) {
            try await adapter.cancel(clientOrderId: order.clientOrderId, instrument: btcusdt)
        }
        let again = try await adapter.cancel(clientOrderId: order.clientOrderId, instrument: btcusdt)
        #expect(again.map(\.name) == ["canceled"])
    }

    @Test func reportsNotFoundForUnknownOrder() async throws {
        let adapter = try binanceAdapter(try currentServer())
        let events = try await adapter.query(clientOrderId: "TW-ghost", instrument: btcusdt)
        #expect(events.map(\.name) == ["notFound"])
        #expect(events.first?.clientOrderId == "TW-ghost")
    }

    @Test func turnsVenueRefusalIntoRejectedEvent() async throws {
        let adapter = try binanceAdapter(try currentServer())
        let events = try await adapter.submit(approved(uniqueOrderId("poor"), .buy, "1000"))
        #expect(events.map(\.name) == ["rejected"])
        #expect(events.first?.reason
            == OrderReason(.insufficientBalance, "-2010: Account has insufficient balance for requested action."))
        #expect(events.first?.reason?.code.isVenueFailure == true)
    }

    @Test func rejectsOrderOnUnconfiguredInstrument() async throws {
        let adapter = try binanceAdapter(try currentServer())
        let events = try await adapter.submit(approved(uniqueOrderId("sol"), .buy, "1", instrument: InstrumentId("BINANCE:SOLUSDT")!))
        #expect(events.map(\.name) == ["rejected"])
        #expect(events.first?.reason?.code == .unknownInstrument)
        #expect(events.first?.reason?.detail.hasPrefix("UNKNOWN_INSTRUMENT: ") == true)
        #expect(events.first?.reason?.code.isLocal == true, "the order never left for the venue")
    }

    @Test func adoptsOpenOrderWhenResendIsRefusedAsDuplicate() async throws {
        let adapter = try binanceAdapter(try currentServer())
        let order = approved(uniqueOrderId("dup"), .buy, "0.1", limit: "50000")
        let first = try await adapter.submit(order)
        let second = try await adapter.submit(order)
        #expect(second.map(\.name) == ["accepted"])
        #expect(second.first?.venueOrderId == first.first?.venueOrderId)
        _ = try await adapter.cancel(clientOrderId: order.clientOrderId, instrument: btcusdt)
    }
}
