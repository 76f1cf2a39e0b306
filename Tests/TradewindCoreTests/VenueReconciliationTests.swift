import Testing
import TradewindCore

/// When the engine reconciles with a real venue, over which trades, and when balances are compared.
@Suite struct VenueReconciliationTests {
    private static let second: Int64 = 1_000_000_000

    private static func schedule(lastSuccessNs: Int64? = nil) -> VenueReconciliation {
        VenueReconciliation(
            intervalNs: 30 * second, policy: ReconciliationPolicy(cancelUnknownOwnOrders: true),
            instruments: ExecutionFixtures.instruments, lastSuccessNs: lastSuccessNs)
    }

    private static let account = VenueAccount(
        balances: [VenueBalance(asset: "USDT", free: qty("1000"), locked: .zero)], canTrade: true, timeNs: 0)

    @Test func startUpRunsAtOnceRetriesEveryTwoSecondsUntilItSucceedsThenEveryInterval() {
        var schedule = Self.schedule()
        let first = schedule.start(at: 100 * Self.second, openOrders: [], fills: 0)
        #expect(first?.trigger == .startup)
        #expect(schedule.start(at: 101 * Self.second, openOrders: [], fills: 0) == nil, "one run at a time")
        schedule.failed(first!, at: 101 * Self.second)
        #expect(schedule.start(at: 102 * Self.second, openOrders: [], fills: 0) == nil)
        let retry = schedule.start(at: 103 * Self.second, openOrders: [], fills: 0)
        #expect(retry?.trigger == .startup)
        _ = schedule.reconcile(retry!, core: ExecutionFixtures.core(), openOrders: [], trades: [], account: Self.account, fills: 0, at: 104 * Self.second)
        #expect(schedule.startupComplete)
        #expect(schedule.start(at: 133 * Self.second, openOrders: [], fills: 0) == nil)
        #expect(schedule.start(at: 134 * Self.second, openOrders: [], fills: 0)?.trigger == .periodic)
    }

    @Test func tradesAreReadFromBeforeTheLastSuccessAndBeforeEveryOpenOrder() {
        var fresh = Self.schedule()
        #expect(fresh.start(at: 7_200 * Self.second, openOrders: [], fills: 0)?.tradesSinceNs == 3_600 * Self.second)
        var known = Self.schedule(lastSuccessNs: 7_000 * Self.second)
        let old = Order(approved: approvedOrder("old", .buy, "1", limit: "100", timeNs: 6_000 * Self.second))
        #expect(known.start(at: 7_200 * Self.second, openOrders: [old], fills: 0)?.tradesSinceNs == 5_940 * Self.second)
    }

    @Test func balancesAreComparedOnlyAfterABaselineAndWhenNoFillLandedDuringTheRun() {
        var schedule = Self.schedule()
        let core = ExecutionFixtures.core()
        let first = schedule.start(at: 0, openOrders: [], fills: 0)!
        #expect(schedule.reconcile(first, core: core, openOrders: [], trades: [], account: Self.account, fills: 0, at: 1).balancesChecked == false)
        #expect(schedule.ledger != nil, "the first account seen is the baseline")
        let second = schedule.start(at: 40 * Self.second, openOrders: [], fills: 3)!
        #expect(schedule.reconcile(second, core: core, openOrders: [], trades: [], account: Self.account, fills: 4, at: 41 * Self.second)
            .balancesChecked == false, "a fill landed while the venue was read")
        let third = schedule.start(at: 80 * Self.second, openOrders: [], fills: 4)!
        #expect(schedule.reconcile(third, core: core, openOrders: [], trades: [], account: Self.account, fills: 4, at: 81 * Self.second)
            .balancesChecked)
    }
}
