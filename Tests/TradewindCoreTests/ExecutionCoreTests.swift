import Testing
import TradewindCore

@Suite struct ExecutionCoreTests {
    private static func core() -> ExecutionCore {
        ExecutionCore(instruments: [TestInstruments.btcId: TestInstruments.btc])
    }

    private static func reports(_ outputs: [ExecutionOutput]) -> [ExecutionReport] {
        outputs.compactMap { if case .report(let report) = $0 { report } else { nil } }
    }

    private static func filled(_ id: String, _ tradeId: String, _ quantity: String, at price: String, time: Int64) -> ExecutionEvent {
        .venue(.filled(clientOrderId: id, venueOrderId: "V-1", tradeId: tradeId, quantity: qty(quantity),
                       price: px(price), fee: usd("0.01"), liquidity: .taker, timeNs: time))
    }

    @Test func runsFullLifecycleWithIncreasingEventNumbers() throws {
        var core = Self.core()
        let order = approvedOrder("a", .buy, "3", limit: "100")
        let submitted = core.apply(.approved(order))
        #expect(submitted.count == 2)
        guard case .orderUpdated(let created) = submitted[0], case .venueCommand(.submit(let sent)) = submitted[1] else {
            Issue.record("unexpected \(submitted)")
            return
        }
        #expect(created.status == .submitted && created.eventCount == 1)
        #expect(sent == order)

        let ack = Self.reports(core.apply(.venue(.accepted(clientOrderId: "TW-a", venueOrderId: "V-1", timeNs: 20))))
        #expect(ack.map(\.execType) == [.ack])
        #expect(ack.first?.venueOrderId == "V-1")
        #expect(ack.first?.feeCurrency == "USDT")

        let partial = try #require(Self.reports(core.apply(Self.filled("TW-a", "T1", "1", at: "100", time: 30))).first)
        #expect(partial.execType == .partialFill && partial.orderStatus == .partiallyFilled)
        #expect(partial.cumulativeQuantity == qty("1") && partial.leavesQuantity == qty("2"))
        #expect(partial.lastQuantity == qty("1") && partial.lastPrice == px("100") && partial.tradeId == "T1")

        let final = try #require(Self.reports(core.apply(Self.filled("TW-a", "T2", "2", at: "101", time: 40))).first)
        #expect(final.execType == .fill && final.orderStatus == .filled)
        #expect(final.averagePrice == px("100.66666667"))
        #expect(final.leavesQuantity == .zero)
        #expect(final.intentId == "a" && final.strategy == "test")

        #expect([ack[0].eventNumber, partial.eventNumber, final.eventNumber] == [2, 3, 4])
        #expect(core.openOrders.isEmpty)
        #expect(core.orders.map(\.status) == [.filled])
        #expect(core.order(clientOrderId: "TW-a")?.fees == usd("0.02"))
    }

    @Test func ignoresDuplicateApprovedOrder() {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "1")))
        #expect(core.apply(.approved(approvedOrder("a", .buy, "1"))) == [
            .duplicateIgnored(clientOrderId: "TW-a", detail: "approved order for intent a already exists"),
        ])
        #expect(core.orders.count == 1)
    }

    @Test func ignoresDuplicateFill() {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "3")))
        _ = core.apply(Self.filled("TW-a", "T1", "1", at: "100", time: 30))
        let again = core.apply(Self.filled("TW-a", "T1", "1", at: "100", time: 30))
        guard case .duplicateIgnored = again.first else {
            Issue.record("expected duplicateIgnored, got \(again)")
            return
        }
        #expect(core.order(clientOrderId: "TW-a")?.filledQuantity == qty("1"))
    }

    @Test func cancelRequestFlowsThroughPendingCancel() throws {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .sell, "3", limit: "100")))
        _ = core.apply(.venue(.accepted(clientOrderId: "TW-a", venueOrderId: "V-1", timeNs: 20)))
        let request = core.apply(.cancel(clientOrderId: "TW-a", timeNs: 25))
        #expect(request.last == .venueCommand(.cancel(clientOrderId: "TW-a")))
        #expect(core.order(clientOrderId: "TW-a")?.status == .pendingCancel)
        #expect(core.apply(.cancel(clientOrderId: "TW-a", timeNs: 26)).count == 1)

        let late = try #require(Self.reports(core.apply(Self.filled("TW-a", "T1", "1", at: "100", time: 27))).first)
        #expect(late.execType == .partialFill && late.orderStatus == .pendingCancel)

        let canceled = try #require(Self.reports(core.apply(.venue(.canceled(clientOrderId: "TW-a", reason: "CANCELED", timeNs: 30)))).first)
        #expect(canceled.execType == .canceled && canceled.orderStatus == .canceled)
        #expect(canceled.leavesQuantity == .zero && canceled.cumulativeQuantity == qty("1"))
        #expect(canceled.rejectReason == "CANCELED")
        #expect(canceled.eventNumber == 5)
    }

    @Test func cancelRejectedReturnsToWorkingState() {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .sell, "3", limit: "100")))
        _ = core.apply(Self.filled("TW-a", "T1", "1", at: "100", time: 27))
        _ = core.apply(.cancel(clientOrderId: "TW-a", timeNs: 28))
        _ = core.apply(.venue(.cancelRejected(clientOrderId: "TW-a", reason: "TOO_LATE", timeNs: 29)))
        #expect(core.order(clientOrderId: "TW-a")?.status == .partiallyFilled)
    }

    @Test func refusesEventsForUnknownOrTerminalOrders() {
        var core = Self.core()
        #expect(core.apply(Self.filled("TW-x", "T1", "1", at: "100", time: 1)) == [
            .eventRefused(clientOrderId: "TW-x", reason: "venue event for unknown order"),
        ])
        _ = core.apply(.approved(approvedOrder("a", .buy, "1")))
        _ = core.apply(.venue(.rejected(clientOrderId: "TW-a", reason: "NO_MARKET", timeNs: 2)))
        let late = core.apply(Self.filled("TW-a", "T1", "1", at: "100", time: 3))
        guard case .eventRefused = late.first else {
            Issue.record("expected refusal, got \(late)")
            return
        }
        let over = core.apply(.approved(approvedOrder("b", .buy, "1")))
        #expect(over.count == 2)
        guard case .eventRefused = core.apply(Self.filled("TW-b", "T9", "2", at: "100", time: 3)).first else {
            Issue.record("expected overfill refusal")
            return
        }
    }

    @Test func rejectsInvalidApprovedOrderLocally() {
        var core = Self.core()
        let outputs = core.apply(.approved(approvedOrder("z", .buy, "0")))
        #expect(Self.reports(outputs).map(\.execType) == [.rejected])
        #expect(Self.reports(outputs).map(\.rejectReason) == ["INVALID_QUANTITY"])
        #expect(!outputs.contains { if case .venueCommand = $0 { true } else { false } })
    }

    @Test func cancelAllCancelsOpenOrdersInCreationOrder() {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "1", limit: "90")))
        _ = core.apply(.approved(approvedOrder("b", .sell, "1", limit: "110")))
        _ = core.apply(.approved(approvedOrder("c", .sell, "1", limit: "110", instrument: TestInstruments.ethId)))
        let outputs = core.apply(.cancelAll(instrument: TestInstruments.btcId, timeNs: 50))
        let commands = outputs.compactMap { if case .venueCommand(let command) = $0 { command } else { nil } }
        #expect(commands == [.cancel(clientOrderId: "TW-a"), .cancel(clientOrderId: "TW-b")])
    }

    @Test func simulatedLoopFillsMarketOrderEndToEnd() throws {
        let venue = try SimulatedVenue(configuration: SimulatedVenueConfiguration(takerFeeBps: 10, makerFeeBps: 0, seed: 3))
        var loop = SimulatedExecutionLoop(core: Self.core(), venue: venue)
        _ = loop.apply(.quote(QuoteBuilder(askSize: qty("1")).build()))
        let reports = Self.reports(loop.apply(.approved(approvedOrder("m", .buy, "2"))))
        #expect(reports.map(\.execType) == [.ack, .partialFill, .canceled])
        #expect(reports.map(\.eventNumber) == [2, 3, 4])
        #expect(reports[1].fee == usd("0.101") && reports[1].liquidity == .taker)
        #expect(reports[2].orderStatus == .canceled && reports[2].cumulativeQuantity == qty("1"))

        _ = loop.apply(.approved(approvedOrder("l", .buy, "1", limit: "99")))
        let makerFill = Self.reports(loop.apply(.quote(QuoteBuilder(bid: px("97"), ask: px("98")).build())))
        #expect(makerFill.map(\.execType) == [.fill])
        #expect(makerFill.first?.lastPrice == px("99") && makerFill.first?.liquidity == .maker)
    }

    @Test func restoresOrdersForViews() {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "1", limit: "90", timeNs: 5)))
        _ = core.apply(.approved(approvedOrder("b", .buy, "1", limit: "90", timeNs: 3)))
        let restored = ExecutionCore(restoring: core.orders)
        #expect(restored.orders.map(\.clientOrderId) == ["TW-b", "TW-a"])
        #expect(restored.openOrders.count == 2)
    }

    @Test func keepsOnlyTheMostRecentFinishedOrdersButRemembersEveryId() {
        var core = ExecutionCore(instruments: [TestInstruments.btcId: TestInstruments.btc], retainedFinishedOrders: 2)
        for name in ["a", "b", "c", "d"] {
            _ = core.apply(.approved(approvedOrder(name, .buy, "1")))
            _ = core.apply(Self.filled("TW-\(name)", "T-\(name)", "1", at: "100", time: 30))
        }
        _ = core.apply(.approved(approvedOrder("open", .buy, "2", limit: "90")))
        #expect(core.orders.map(\.clientOrderId) == ["TW-c", "TW-d", "TW-open"])
        #expect(core.openOrders.map(\.clientOrderId) == ["TW-open"])
        #expect(core.openOrderCount == 1)
        #expect(core.seenTradeIds == ["TW-c|T-c", "TW-d|T-d"])
        guard case .duplicateIgnored(let id, _)? = core.apply(.approved(approvedOrder("a", .buy, "1"))).first else {
            Issue.record("an evicted order's intent must still be a duplicate")
            return
        }
        #expect(id == "TW-a")
    }
}
