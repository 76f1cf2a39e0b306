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
        #expect(request.last == .venueCommand(.cancel(clientOrderId: "TW-a", instrument: TestInstruments.btcId)))
        #expect(core.order(clientOrderId: "TW-a")?.status == .pendingCancel)
        #expect(core.apply(.cancel(clientOrderId: "TW-a", timeNs: 26)).count == 1)

        let late = try #require(Self.reports(core.apply(Self.filled("TW-a", "T1", "1", at: "100", time: 27))).first)
        #expect(late.execType == .partialFill && late.orderStatus == .pendingCancel)

        let canceled = try #require(Self.reports(core.apply(.venue(.canceled(clientOrderId: "TW-a", reason: OrderReason(.canceled), timeNs: 30)))).first)
        #expect(canceled.execType == .canceled && canceled.orderStatus == .canceled)
        #expect(canceled.leavesQuantity == .zero && canceled.cumulativeQuantity == qty("1"))
        #expect(canceled.reason == OrderReason(.canceled))
        #expect(canceled.eventNumber == 5)
    }


    @Test func venueExpiringTheRestEndsTheOrderExpiredWithItsFillsKept() throws {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "3", limit: "100", timeInForce: .ioc)))
        _ = core.apply(.venue(.accepted(clientOrderId: "TW-a", venueOrderId: "V-1", timeNs: 20)))
        _ = core.apply(Self.filled("TW-a", "T1", "1", at: "100", time: 21))
        let expired = try #require(Self.reports(core.apply(.venue(.expired(clientOrderId: "TW-a", reason: OrderReason(.expiredAtVenue, "status EXPIRED"), timeNs: 22)))).first)
        #expect(expired.execType == .canceled && expired.orderStatus == .expired)
        #expect(expired.cumulativeQuantity == qty("1") && expired.leavesQuantity == .zero)
        #expect(expired.reason == OrderReason(.expiredAtVenue, "status EXPIRED"))
        #expect(core.openOrders.isEmpty)
        let again = core.apply(.venue(.expired(clientOrderId: "TW-a", reason: OrderReason(.expiredAtVenue), timeNs: 23)))
        guard case .eventRefused(let id, _) = again.first, again.count == 1 else {
            Issue.record("expected the second expiry refused, got \(again)")
            return
        }
        #expect(id == "TW-a")
    }
    @Test func cancelRejectedReturnsToWorkingState() {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .sell, "3", limit: "100")))
        _ = core.apply(Self.filled("TW-a", "T1", "1", at: "100", time: 27))
        _ = core.apply(.cancel(clientOrderId: "TW-a", timeNs: 28))
        _ = core.apply(.venue(.cancelRejected(clientOrderId: "TW-a", reason: OrderReason(.orderNotOpen), timeNs: 29)))
        #expect(core.order(clientOrderId: "TW-a")?.status == .partiallyFilled)
    }

    @Test func refusesEventsForUnknownOrTerminalOrders() {
        var core = Self.core()
        #expect(core.apply(Self.filled("TW-x", "T1", "1", at: "100", time: 1)) == [
            .eventRefused(clientOrderId: "TW-x", reason: "venue event for unknown order"),
        ])
        _ = core.apply(.approved(approvedOrder("a", .buy, "1")))
        _ = core.apply(.venue(.rejected(clientOrderId: "TW-a", reason: OrderReason(.noMarket), timeNs: 2)))
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
        #expect(Self.reports(outputs).map(\.reason?.code) == [.invalidQuantity])
        #expect(!outputs.contains { if case .venueCommand = $0 { true } else { false } })
    }

    @Test func cancelAllCancelsOpenOrdersInCreationOrder() {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "1", limit: "90")))
        _ = core.apply(.approved(approvedOrder("b", .sell, "1", limit: "110")))
        _ = core.apply(.approved(approvedOrder("c", .sell, "1", limit: "110", instrument: TestInstruments.ethId)))
        let outputs = core.apply(.cancelAll(instrument: TestInstruments.btcId, timeNs: 50))
        let commands = outputs.compactMap { if case .venueCommand(let command) = $0 { command } else { nil } }
        #expect(commands == [
            .cancel(clientOrderId: "TW-a", instrument: TestInstruments.btcId),
            .cancel(clientOrderId: "TW-b", instrument: TestInstruments.btcId),
        ])
    }

    @Test func theSimulatedVenueInTheSliceFillsAMarketOrderEndToEnd() throws {
        let venue = try SimulatedVenue(configuration: SimulatedVenueConfiguration(takerFeeBps: 10, makerFeeBps: 0, seed: 3))
        var loop = try ExecutionFixtures.slice(core: Self.core(), venue: venue)
        _ = loop.apply(.quote(QuoteBuilder(askSize: qty("1")).build()))
        let reports = loop.apply(.approved(approvedOrder("m", .buy, "2"))).reports
        #expect(reports.map(\.execType) == [.ack, .partialFill, .canceled])
        #expect(reports.map(\.eventNumber) == [2, 3, 4])
        #expect(reports[1].fee == usd("0.101") && reports[1].liquidity == .taker)
        #expect(reports[2].orderStatus == .canceled && reports[2].cumulativeQuantity == qty("1"))

        _ = loop.apply(.approved(approvedOrder("l", .buy, "1", limit: "99")))
        let makerFill = loop.apply(.quote(QuoteBuilder(bid: px("97"), ask: px("98")).build())).reports
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

/// Real-world orderings of venue responses and replays after a restart.
@Suite struct ExecutionCoreEdgeTests {
    private static func working(_ core: inout ExecutionCore, _ id: String = "a", quantity: String = "3") {
        _ = core.apply(.approved(approvedOrder(id, .sell, quantity, limit: "100")))
        _ = core.apply(.venue(.accepted(clientOrderId: "TW-\(id)", venueOrderId: "V-1", timeNs: 20)))
    }

    @Test func fillCompletingAfterCancelRequestWinsAndTheLateCancelRejectIsRefused() {
        var core = ExecutionFixtures.core()
        Self.working(&core)
        _ = core.apply(.cancel(clientOrderId: "TW-a", timeNs: 25))
        let fill = core.apply(ExecutionFixtures.filled("TW-a", "T1", "3", at: "100", time: 26)).reports
        #expect(fill.map(\.execType) == [.fill] && fill.first?.orderStatus == .filled)
        let late = core.apply(.venue(.cancelRejected(clientOrderId: "TW-a", reason: OrderReason(.orderNotOpen), timeNs: 27)))
        #expect(late.refusals.count == 1)
        #expect(core.order(clientOrderId: "TW-a")?.status == .filled)
        #expect(core.inFlightOrderIds.isEmpty)
    }

    @Test func failedCancelReturnsAnAcknowledgedOrderToAccepted() {
        var core = ExecutionFixtures.core()
        Self.working(&core)
        _ = core.apply(.cancel(clientOrderId: "TW-a", timeNs: 25))
        #expect(core.inFlightOrderIds == ["TW-a"])
        let outputs = core.apply(.venue(.cancelRejected(clientOrderId: "TW-a", reason: OrderReason(.orderNotOpen), timeNs: 26)))
        #expect(outputs.reports.isEmpty && outputs.count == 1)
        #expect(core.order(clientOrderId: "TW-a")?.status == .accepted)
        #expect(core.inFlightOrderIds.isEmpty)
        #expect(core.apply(.cancel(clientOrderId: "TW-a", timeNs: 30)).commands.count == 1)
    }

    @Test func failedCancelOfAnUnacknowledgedOrderKeepsItInFlight() {
        var core = ExecutionFixtures.core()
        _ = core.apply(.approved(approvedOrder("a", .sell, "3", limit: "100")))
        _ = core.apply(.cancel(clientOrderId: "TW-a", timeNs: 25))
        _ = core.apply(.venue(.cancelRejected(clientOrderId: "TW-a", reason: OrderReason(.unknownOrder), timeNs: 26)))
        #expect(core.order(clientOrderId: "TW-a")?.status == .submitted)
        #expect(core.inFlightOrderIds == ["TW-a"])
    }

    @Test func ackOvertakingTheCancelRequestKeepsTheCancelPending() throws {
        var core = ExecutionFixtures.core()
        _ = core.apply(.approved(approvedOrder("a", .sell, "3", limit: "100")))
        _ = core.apply(.cancel(clientOrderId: "TW-a", timeNs: 25))
        let ack = try #require(core.apply(.venue(.accepted(clientOrderId: "TW-a", venueOrderId: "V-1", timeNs: 26))).reports.first)
        #expect(ack.execType == .ack && ack.orderStatus == .pendingCancel && ack.venueOrderId == "V-1")
        let canceled = core.apply(.venue(.canceled(clientOrderId: "TW-a", reason: OrderReason(.canceled), timeNs: 27))).reports
        #expect(canceled.map(\.orderStatus) == [.canceled])
    }

    @Test func replayedApprovalAndFillAfterRestartChangeNothing() {
        var before = ExecutionFixtures.core()
        _ = before.apply(.approved(approvedOrder("done", .buy, "1")))
        _ = before.apply(ExecutionFixtures.filled("TW-done", "T9", "1", at: "100", time: 20))
        Self.working(&before, "open")
        _ = before.apply(ExecutionFixtures.filled("TW-open", "T1", "1", at: "100", time: 30))

        var after = ExecutionCore(
            instruments: ExecutionFixtures.instruments, restoring: before.openOrders,
            seenTradeIds: before.seenTradeIds, finishedOrderIds: ["TW-done"])
        #expect(after.apply(.approved(approvedOrder("done", .buy, "1"))).duplicates.count == 1)
        #expect(after.apply(.approved(approvedOrder("open", .sell, "3", limit: "100"))).duplicates.count == 1)
        #expect(after.apply(ExecutionFixtures.filled("TW-open", "T1", "1", at: "100", time: 30)).duplicates == ["fill T1 already applied"])
        #expect(after.order(clientOrderId: "TW-open")?.filledQuantity == qty("1"))
        #expect(after.apply(ExecutionFixtures.filled("TW-open", "T2", "1", at: "100", time: 31)).reports.count == 1)
        #expect(after.order(clientOrderId: "TW-open")?.filledQuantity == qty("2"))
    }

    @Test func sameEventsGiveTheSameOutputsAndState() {
        func run() -> ([ExecutionOutput], [Order]) {
            var core = ExecutionFixtures.core(policy: try! ExecutionPolicy(inFlightTimeoutNs: 1_000_000))
            var outputs: [ExecutionOutput] = []
            for step in 0..<20 {
                let time = Int64(step) * 400_000
                outputs += core.apply(.approved(approvedOrder("o\(step)", step % 2 == 0 ? .buy : .sell, "1", limit: "100", timeNs: time)))
                if step % 3 == 0 { outputs += core.apply(.venue(.accepted(clientOrderId: "TW-o\(step)", venueOrderId: "V\(step)", timeNs: time + 1))) }
                if step % 4 == 0 { outputs += core.apply(.cancel(clientOrderId: "TW-o\(step)", timeNs: time + 2)) }
                outputs += core.apply(.clock(timeNs: time + 3))
            }
            return (outputs, core.orders)
        }
        let first = run()
        let second = run()
        #expect(first.0 == second.0 && first.1 == second.1)
        #expect(first.0.commands.contains { if case .query = $0 { true } else { false } })
    }
}
