import Testing
import TradewindCore

/// Orders waiting for the venue are queried after `inFlightTimeoutNs`, and the venue's answer
/// (its fills, then `.orderStatus`, or `.notFound`) resolves them.
@Suite struct ExecutionInFlightTests {
    private static let timeout: Int64 = 1_000_000
    private static let policy = try! ExecutionPolicy(inFlightTimeoutNs: timeout)

    private static func core() -> ExecutionCore { ExecutionFixtures.core(policy: policy) }

    private static func query(_ id: String) -> VenueCommand { .query(clientOrderId: id, instrument: TestInstruments.btcId) }

    @Test func queriesSubmittedOrderAfterTimeoutAndEveryTimeoutUntilResolved() {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "1", limit: "100", timeNs: 10)))
        #expect(core.inFlightOrderIds == ["TW-a"])
        #expect(core.nextQueryTimeNs == 10 + Self.timeout)
        #expect(core.apply(.clock(timeNs: 10 + Self.timeout - 1)).isEmpty)
        #expect(core.apply(.clock(timeNs: 10 + Self.timeout)).commands == [Self.query("TW-a")])
        #expect(core.apply(.clock(timeNs: 10 + Self.timeout + Self.timeout / 2)).isEmpty)
        #expect(core.apply(.clock(timeNs: 10 + 2 * Self.timeout)).commands == [Self.query("TW-a")])

        _ = core.apply(.venue(.accepted(clientOrderId: "TW-a", venueOrderId: "V-1", timeNs: 10 + 2 * Self.timeout + 5)))
        #expect(core.inFlightOrderIds.isEmpty && core.nextQueryTimeNs == nil)
        #expect(core.apply(.clock(timeNs: 10 + 10 * Self.timeout)).isEmpty)
    }

    @Test func aVenueResponseRestartsTheTimer() {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "3", limit: "100", timeNs: 0)))
        _ = core.apply(.cancel(clientOrderId: "TW-a", timeNs: 100))
        _ = core.apply(ExecutionFixtures.filled("TW-a", "T1", "1", at: "100", time: 600_000))
        #expect(core.order(clientOrderId: "TW-a")?.status == .pendingCancel)
        #expect(core.apply(.clock(timeNs: Self.timeout + 100)).isEmpty)
        #expect(core.apply(.clock(timeNs: Self.timeout + 600_000)).commands == [Self.query("TW-a")])
    }

    @Test func queriesOverdueOrdersEarliestFirst() {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("late", .buy, "1", limit: "100", timeNs: 20)))
        _ = core.apply(.approved(approvedOrder("early", .buy, "1", limit: "100", timeNs: 10)))
        #expect(core.apply(.clock(timeNs: 5 * Self.timeout)).commands == [Self.query("TW-early"), Self.query("TW-late")])
    }

    @Test func answerOpenAcknowledgesTheOrder() throws {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "3", limit: "100", timeNs: 10)))
        let outputs = core.apply(.venue(.orderStatus(ExecutionFixtures.snapshot("TW-a", .open, time: 400))))
        #expect(outputs.reports.map(\.execType) == [.ack])
        let order = try #require(core.order(clientOrderId: "TW-a"))
        #expect(order.status == .accepted && order.venueOrderId == "V-9")
        #expect(core.inFlightOrderIds.isEmpty)
        #expect(outputs.discrepancies.isEmpty)
    }

    @Test func answerFilledCarriesTheFillsThatCatchTheOrderUp() throws {
        var harness = ManualVenueHarness(core: Self.core(), venue: try ExecutionFixtures.venue(latencyNs: 50))
        harness.quote(QuoteBuilder(askSize: qty("2"), timeNs: 0).build())
        // the venue fills the order but every response is lost
        harness.apply(.approved(approvedOrder("a", .buy, "2", limit: "101", timeNs: 10)), deliver: false)
        #expect(harness.core.order(clientOrderId: "TW-a")?.status == .submitted)
        #expect(harness.venue.order(clientOrderId: "TW-a")?.state == .filled)

        let outputs = harness.apply(.clock(timeNs: 10 + Self.timeout))
        #expect(outputs.commands == [Self.query("TW-a")])
        #expect(outputs.reports.map(\.execType) == [.fill])
        let order = try #require(harness.core.order(clientOrderId: "TW-a"))
        #expect(order.status == .filled && order.filledQuantity == qty("2"))
        #expect(order.averagePrice == px("101") && order.fees == usd("0.202"))
        #expect(outputs.discrepancies.isEmpty)
        #expect(harness.core.inFlightOrderIds.isEmpty)
    }

    @Test func answerPartiallyFilledAppliesFillsAndAcknowledges() throws {
        var harness = ManualVenueHarness(core: Self.core(), venue: try ExecutionFixtures.venue())
        harness.quote(QuoteBuilder(askSize: qty("1"), timeNs: 0).build())
        harness.apply(.approved(approvedOrder("a", .buy, "3", limit: "101", timeNs: 10)), deliver: false)
        let outputs = harness.apply(.clock(timeNs: 10 + Self.timeout))
        #expect(outputs.reports.map(\.execType) == [.partialFill, .ack])
        let order = try #require(harness.core.order(clientOrderId: "TW-a"))
        #expect(order.status == .partiallyFilled && order.filledQuantity == qty("1") && order.venueOrderId == "SIM-1")
        #expect(harness.core.inFlightOrderIds.isEmpty)
    }

    @Test func notFoundRejectsAnOrderTheVenueNeverReceived() throws {
        var harness = ManualVenueHarness(core: Self.core(), venue: try ExecutionFixtures.venue(latencyNs: 7))
        _ = harness.core.apply(.approved(approvedOrder("lost", .sell, "1", limit: "200", timeNs: 10)))
        let outputs = harness.apply(.clock(timeNs: 10 + Self.timeout))
        let rejected = try #require(outputs.reports.first)
        #expect(rejected.execType == .rejected && rejected.reason?.code == .notFoundAtVenue)
        #expect(rejected.reason?.code.isVenueFailure == true)
        #expect(rejected.timeNs == 10 + Self.timeout + 7)
        #expect(harness.core.inFlightOrderIds.isEmpty)
    }

    @Test(arguments: [OrderStatus.accepted, .partiallyFilled, .pendingCancel])
    func notFoundCancelsAWorkingOrder(status: OrderStatus) throws {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "3", limit: "100", timeNs: 10)))
        _ = core.apply(.venue(.accepted(clientOrderId: "TW-a", venueOrderId: "V-1", timeNs: 20)))
        if status == .partiallyFilled { _ = core.apply(ExecutionFixtures.filled("TW-a", "T1", "1", at: "100", time: 30)) }
        if status == .pendingCancel { _ = core.apply(.cancel(clientOrderId: "TW-a", timeNs: 30)) }
        #expect(core.order(clientOrderId: "TW-a")?.status == status)
        let canceled = try #require(core.apply(.venue(.notFound(clientOrderId: "TW-a", timeNs: 40))).reports.first)
        #expect(canceled.execType == .canceled && canceled.orderStatus == .canceled)
        #expect(canceled.reason == OrderReason(.notFoundAtVenue, "the venue no longer knows the \(status) order"))
        #expect(core.inFlightOrderIds.isEmpty)
    }

    @Test func notFoundForAFinishedOrderChangesNothing() {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "1", timeNs: 10)))
        _ = core.apply(ExecutionFixtures.filled("TW-a", "T1", "1", at: "100", time: 20))
        #expect(core.apply(.venue(.notFound(clientOrderId: "TW-a", timeNs: 30))).isEmpty)
        #expect(core.order(clientOrderId: "TW-a")?.status == .filled)
    }

    @Test func moreFilledAtTheVenueThanAppliedIsADiscrepancyNotAFill() throws {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "3", limit: "100", timeNs: 10)))
        let outputs = core.apply(.venue(.orderStatus(ExecutionFixtures.snapshot("TW-a", .filled, filled: "3"))))
        #expect(outputs.discrepancies == ["venue reports 3 filled (filled), engine has 0: fills missing"])
        #expect(outputs.reports.map(\.execType) == [.ack])
        let order = try #require(core.order(clientOrderId: "TW-a"))
        #expect(order.status == .accepted && order.filledQuantity == .zero)
    }

    @Test func venueCanceledStatusKeepsAnOrderWithMissingFillsOpen() throws {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "3", limit: "100", timeNs: 10)))
        _ = core.apply(.cancel(clientOrderId: "TW-a", timeNs: 20))
        let outputs = core.apply(.venue(.orderStatus(ExecutionFixtures.snapshot("TW-a", .canceled, filled: "1"))))
        #expect(outputs.discrepancies.count == 1)
        #expect(core.order(clientOrderId: "TW-a")?.status == .pendingCancel)
        #expect(core.inFlightOrderIds == ["TW-a"])
    }

    @Test func pendingCancelStillOpenAtTheVenueResendsTheCancel() {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "3", limit: "100", timeNs: 10)))
        _ = core.apply(.venue(.accepted(clientOrderId: "TW-a", venueOrderId: "V-9", timeNs: 20)))
        _ = core.apply(.cancel(clientOrderId: "TW-a", timeNs: 30))
        #expect(core.apply(.clock(timeNs: 30 + Self.timeout)).commands == [Self.query("TW-a")])
        let outputs = core.apply(.venue(.orderStatus(ExecutionFixtures.snapshot("TW-a", .open, time: 40))))
        #expect(outputs.commands == [.cancel(clientOrderId: "TW-a", instrument: TestInstruments.btcId)])
        #expect(core.order(clientOrderId: "TW-a")?.status == .pendingCancel)
        #expect(core.nextQueryTimeNs == 30 + 2 * Self.timeout)
    }

    @Test(arguments: [
        (VenueOrderState.canceled, OrderStatus.canceled, ExecType.canceled, OrderReasonCode.canceled),
        (.expired, .expired, .canceled, .expiredAtVenue),
        (.rejected, .rejected, .rejected, .rejectedAtVenue),
    ])
    func terminalVenueStatusIsApplied(
        state: VenueOrderState, status: OrderStatus, execType: ExecType, code: OrderReasonCode
    ) throws {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "3", limit: "100", timeNs: 10)))
        _ = core.apply(.cancel(clientOrderId: "TW-a", timeNs: 20))
        let report = try #require(core.apply(.venue(.orderStatus(ExecutionFixtures.snapshot("TW-a", state)))).reports.first)
        #expect(report.orderStatus == status && report.execType == execType)
        #expect(report.reason == OrderReason(code, "venue status \(state)"))
        #expect(core.inFlightOrderIds.isEmpty)
    }

    @Test func venueCanceledWithoutOurRequestSaysSo() throws {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "3", limit: "100", timeNs: 10)))
        _ = core.apply(.venue(.accepted(clientOrderId: "TW-a", venueOrderId: "V-9", timeNs: 20)))
        let report = try #require(core.apply(.venue(.orderStatus(ExecutionFixtures.snapshot("TW-a", .canceled)))).reports.first)
        #expect(report.reason?.code == .canceledAtVenue)
    }

    @Test func openAtTheVenueButFinishedInTheEngineIsADiscrepancy() {
        var core = Self.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "3", limit: "100", timeNs: 10)))
        _ = core.apply(.venue(.canceled(clientOrderId: "TW-a", reason: OrderReason(.canceled), timeNs: 20)))
        let outputs = core.apply(.venue(.orderStatus(ExecutionFixtures.snapshot("TW-a", .open))))
        #expect(outputs.discrepancies == ["venue reports the order open but it is canceled in the engine"])
        #expect(core.order(clientOrderId: "TW-a")?.status == .canceled)
    }

    @Test func restoredInFlightOrdersAreQueriedAfterTheTimeout() {
        var before = Self.core()
        _ = before.apply(.approved(approvedOrder("a", .buy, "1", limit: "100", timeNs: 10)))
        _ = before.apply(.approved(approvedOrder("b", .buy, "1", limit: "100", timeNs: 11)))
        _ = before.apply(.venue(.accepted(clientOrderId: "TW-b", venueOrderId: "V-2", timeNs: 12)))
        var after = ExecutionCore(
            instruments: ExecutionFixtures.instruments, restoring: before.openOrders, policy: Self.policy)
        #expect(after.inFlightOrderIds == ["TW-a"])
        #expect(after.apply(.clock(timeNs: 10 + Self.timeout)).commands == [Self.query("TW-a")])
    }

    @Test func statusForAnUnknownOrderIsRefused() {
        var core = Self.core()
        #expect(core.apply(.venue(.orderStatus(ExecutionFixtures.snapshot("TW-x", .open)))).refusals == ["venue status for unknown order"])
        #expect(core.apply(.venue(.notFound(clientOrderId: "TW-x", timeNs: 1))).refusals == ["venue event for unknown order"])
    }
}
