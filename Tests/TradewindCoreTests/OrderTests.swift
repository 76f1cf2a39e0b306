import Testing
import TradewindCore

@Suite struct OrderTests {
    private func workingOrder(_ quantity: String = "3") throws -> Order {
        var order = Order(approved: approvedOrder("a", .buy, quantity, limit: "100"))
        try order.apply(.submitted, timeNs: 11)
        try order.apply(.accepted(venueOrderId: "SIM-1"), timeNs: 12)
        return order
    }

    @Test func clientOrderIdIsStableForAnIntent() {
        #expect(ClientOrderId.from(intentId: "s1-7") == "TW-s1-7")
        #expect(ClientOrderId.from(intentId: "s1-7") == ClientOrderId.from(intentId: "s1-7"))
    }

    @Test func fillsAccumulateWithExactAveragePrice() throws {
        var order = try workingOrder()
        try order.apply(.fill(quantity: qty("1"), price: px("100"), fee: usd("0.1")), timeNs: 13)
        #expect(order.status == .partiallyFilled)
        try order.apply(.fill(quantity: qty("2"), price: px("101"), fee: usd("0.2")), timeNs: 14)
        #expect(order.status == .filled)
        #expect(order.filledQuantity == qty("3"))
        #expect(order.filledNotional == usd("302"))
        #expect(order.averagePrice == px("100.66666667"))
        #expect(order.fees == usd("0.3"))
        #expect(order.eventCount == 4)
        #expect(order.venueOrderId == "SIM-1")
        #expect(order.leavesQuantity == .zero)
        #expect(order.updatedTimeNs == 14)
    }

    @Test func refusesOverfillAndKeepsState() throws {
        var order = try workingOrder()
        try order.apply(.fill(quantity: qty("2"), price: px("100"), fee: .zero), timeNs: 13)
        let before = order
        #expect(throws: OrderError.overfill(clientOrderId: "TW-a", quantity: qty("3"), filled: qty("2"), fill: qty("1.5"))) {
            try order.apply(.fill(quantity: qty("1.5"), price: px("100"), fee: .zero), timeNs: 14)
        }
        #expect(order == before)
    }

    @Test func refusesNonPositiveFills() throws {
        var order = try workingOrder()
        #expect(throws: OrderError.self) { try order.apply(.fill(quantity: .zero, price: px("1"), fee: .zero), timeNs: 1) }
        #expect(throws: OrderError.self) { try order.apply(.fill(quantity: qty("1"), price: .zero, fee: .zero), timeNs: 1) }
    }

    @Test func cancelRejectedReturnsToStateImpliedByFills() throws {
        var unfilled = try workingOrder()
        try unfilled.apply(.cancelRequested, timeNs: 13)
        try unfilled.apply(.cancelRejected(reason: "TOO_LATE"), timeNs: 14)
        #expect(unfilled.status == .accepted)

        var partial = try workingOrder()
        try partial.apply(.cancelRequested, timeNs: 13)
        try partial.apply(.fill(quantity: qty("1"), price: px("100"), fee: .zero), timeNs: 14)
        #expect(partial.status == .pendingCancel)
        try partial.apply(.cancelRejected(reason: "TOO_LATE"), timeNs: 15)
        #expect(partial.status == .partiallyFilled)
        #expect(partial.reason == "TOO_LATE")
    }

    @Test func refusesEventsAfterTerminalStatus() throws {
        var order = try workingOrder()
        try order.apply(.canceled(reason: "USER"), timeNs: 13)
        #expect(order.leavesQuantity == .zero)
        #expect(throws: OrderError.invalidTransition(clientOrderId: "TW-a", InvalidOrderTransition(from: .canceled, event: .partialFill))) {
            try order.apply(.fill(quantity: qty("1"), price: px("100"), fee: .zero), timeNs: 14)
        }
        #expect(order.filledQuantity == .zero)
        #expect(order.eventCount == 3)
    }
}
