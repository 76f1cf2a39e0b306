import Foundation
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
        try unfilled.apply(.cancelRejected(reason: OrderReason(.orderNotOpen)), timeNs: 14)
        #expect(unfilled.status == .accepted)

        var partial = try workingOrder()
        try partial.apply(.cancelRequested, timeNs: 13)
        try partial.apply(.fill(quantity: qty("1"), price: px("100"), fee: .zero), timeNs: 14)
        #expect(partial.status == .pendingCancel)
        try partial.apply(.cancelRejected(reason: OrderReason(.cancelRejected, "-2011: too late")), timeNs: 15)
        #expect(partial.status == .partiallyFilled)
        #expect(partial.reason == OrderReason(.cancelRejected, "-2011: too late"))
    }

    @Test func refusesEventsAfterTerminalStatus() throws {
        var order = try workingOrder()
        try order.apply(.canceled(reason: OrderReason(.canceled)), timeNs: 13)
        #expect(order.leavesQuantity == .zero)
        #expect(throws: OrderError.invalidTransition(clientOrderId: "TW-a", InvalidOrderTransition(from: .canceled, event: .partialFill))) {
            try order.apply(.fill(quantity: qty("1"), price: px("100"), fee: .zero), timeNs: 14)
        }
        #expect(order.filledQuantity == .zero)
        #expect(order.eventCount == 3)
    }
}

@Suite struct OrderLifecycleEdgeTests {
    private func submitted(_ id: String = "a") throws -> Order {
        var order = Order(approved: approvedOrder(id, .buy, "3", limit: "100"))
        try order.apply(.submitted, timeNs: 11)
        return order
    }

    @Test func cancelRejectedBeforeAnyAckReturnsToSubmitted() throws {
        var order = try submitted()
        try order.apply(.cancelRequested, timeNs: 12)
        try order.apply(.cancelRejected(reason: OrderReason(.unknownOrder)), timeNs: 13)
        #expect(order.status == .submitted)
        #expect(!order.isAcknowledged)
    }

    @Test func ackOvertakingCancelRequestIsRecorded() throws {
        var order = try submitted()
        try order.apply(.cancelRequested, timeNs: 12)
        try order.apply(.accepted(venueOrderId: "SIM-7"), timeNs: 13)
        #expect(order.status == .pendingCancel)
        #expect(order.venueOrderId == "SIM-7" && order.acknowledgedTimeNs == 13)
        try order.apply(.cancelRejected(reason: OrderReason(.orderNotOpen)), timeNs: 14)
        #expect(order.status == .accepted)
    }

    @Test func lateAckAfterFillKeepsPartiallyFilled() throws {
        var order = try submitted()
        try order.apply(.fill(quantity: qty("1"), price: px("100"), fee: .zero), timeNs: 12)
        try order.apply(.accepted(venueOrderId: "SIM-1"), timeNs: 13)
        #expect(order.status == .partiallyFilled && order.venueOrderId == "SIM-1")
    }

    @Test func recordsConvertedTermsNextToApprovedOnes() {
        let conversion = OrderConversion(
            orderType: .limit, timeInForce: .ioc, limitPrice: px("100.5"), referencePrice: px("100"),
            reason: OrderReason(.slippageGuardConverted))
        let approved = approvedOrder("m", .buy, "1")
        let order = Order(approved: approved, conversion: conversion)
        #expect(order.orderType == .market && order.limitPrice == nil)
        #expect(order.effectiveOrderType == .limit && order.effectiveTimeInForce == .ioc)
        #expect(order.effectiveLimitPrice == px("100.5"))
        let sent = conversion.applied(to: approved)
        #expect(sent.orderType == .limit && sent.timeInForce == .ioc && sent.limitPrice == px("100.5"))
        #expect(sent.clientOrderId == approved.clientOrderId && sent.quantity == approved.quantity)
    }

    @Test func decodesOrdersPersistedBeforeConversionAndAckFields() throws {
        var order = try submitted()
        try order.apply(.accepted(venueOrderId: "SIM-1"), timeNs: 12)
        var fields = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(order)) as? [String: Any])
        #expect(fields.removeValue(forKey: "acknowledgedTimeNs") != nil)
        #expect(fields["conversion"] == nil)
        let decoded = try JSONDecoder().decode(Order.self, from: try JSONSerialization.data(withJSONObject: fields))
        #expect(decoded.acknowledgedTimeNs == nil && decoded.conversion == nil)
        #expect(decoded.isAcknowledged)
    }
}
