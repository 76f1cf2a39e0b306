/// The execution engine's reconciliation with a real venue, as decisions: when a run is due (at
/// start-up, retried every 2 s until one succeeds; then every `intervalNs`), how far back it reads
/// the venue's trades, whether balances can be compared (only once a baseline exists, and only when
/// no fill landed while the venue's state was fetched) and the balance ledger itself (the first
/// account seen is the baseline; every fill moves it).
public struct VenueReconciliation: Sendable {
    public enum Trigger: String, Sendable, Codable {
        case startup, periodic
    }

    public let intervalNs: Int64
    public let policy: ReconciliationPolicy
    public let instruments: [InstrumentId: Instrument]
    /// A start-up run succeeded.
    public private(set) var startupComplete = false
    /// Start of the last run that reached the venue.
    public private(set) var lastSuccessNs: Int64?
    /// When the next run is due (the first: at once).
    public private(set) var nextDueNs: Int64 = .min
    /// A run was started and its answer has not come back.
    public private(set) var inFlight = false
    public private(set) var ledger: BalanceLedger?

    /// Retry delay while no start-up run has succeeded.
    public static let startupRetryNs: Int64 = 2_000_000_000
    /// Venue trades are read from this long before the last successful run.
    public static let tradeOverlapNs: Int64 = 60_000_000_000
    /// Without an earlier run or an open order, trades of the last hour are read.
    public static let firstLookbackNs: Int64 = 3_600_000_000_000

    public init(intervalNs: Int64, policy: ReconciliationPolicy, instruments: [InstrumentId: Instrument], lastSuccessNs: Int64?) {
        self.intervalNs = intervalNs
        self.policy = policy
        self.instruments = instruments
        self.lastSuccessNs = lastSuccessNs
    }

    /// What a run about to start needs to know.
    public struct Run: Sendable, Hashable {
        public let trigger: Trigger
        public let startedNs: Int64
        /// Read the venue's trades from here.
        public let tradesSinceNs: Int64
        /// The engine's fill count when the run started (balances are compared only if it did not move).
        public let fillsAtStart: Int
    }

    /// Starts a run if one is due at `nowNs` and none is in flight.
    public mutating func start(at nowNs: Int64, openOrders: [Order], fills: Int) -> Run? {
        guard !inFlight, nowNs >= nextDueNs else { return nil }
        inFlight = true
        var since = lastSuccessNs.map { $0 - Self.tradeOverlapNs } ?? (nowNs - Self.firstLookbackNs)
        if let oldest = openOrders.map(\.createdTimeNs).min() { since = min(since, oldest - Self.tradeOverlapNs) }
        return Run(trigger: startupComplete ? .periodic : .startup, startedNs: nowNs, tradesSinceNs: since, fillsAtStart: fills)
    }

    /// The venue could not be reached: retried soon before the first success, at the interval after.
    public mutating func failed(_ run: Run, at nowNs: Int64) {
        inFlight = false
        nextDueNs = nowNs + (startupComplete ? intervalNs : Self.startupRetryNs)
    }

    /// The venue answered: compares it with the engine, and sets the balance baseline the first time.
    public mutating func reconcile(
        _ run: Run, core: ExecutionCore, openOrders: [VenueOrderSnapshot], trades: [VenueTrade], account: VenueAccount,
        fills: Int, at nowNs: Int64
    ) -> (report: ReconciliationReport, balancesChecked: Bool) {
        inFlight = false
        let compareBalances = ledger != nil && fills == run.fillsAtStart
        let report = Reconciler.reconcile(
            core: core, venueOpenOrders: openOrders, venueTrades: trades,
            expectedBalances: compareBalances ? ledger?.expectedBalances : nil, account: compareBalances ? account : nil,
            policy: policy, timeNs: nowNs)
        // the first view of the account is the baseline (it already holds any fill just applied)
        if ledger == nil { ledger = BalanceLedger(baseline: account, instruments: instruments) }
        startupComplete = true
        lastSuccessNs = run.startedNs
        nextDueNs = nowNs + intervalNs
        return (report, compareBalances)
    }

    /// A run against the simulated venue inside the process finished (it was compared in place):
    /// none is due again, since it would only compare the process with itself.
    public mutating func completedInProcess(_ run: Run) {
        inFlight = false
        startupComplete = true
        lastSuccessNs = run.startedNs
        nextDueNs = .max
    }

    /// A fill moves the expected balances.
    public mutating func apply(fill report: ExecutionReport) {
        _ = ledger?.apply(report)
    }
}
