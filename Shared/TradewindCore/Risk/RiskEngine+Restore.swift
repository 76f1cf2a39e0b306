extension RiskEngine {
    /// What a risk manager's tables hold when it restarts.
    public struct Saved: Sendable, Hashable {
        /// The last engine snapshot, if any was written.
        public var snapshot: Snapshot?
        /// The trading state, kill switch and reason as last recorded (written the moment they change).
        public var tradingState: TradingState?
        public var killSwitch: Bool
        public var reason: String
        /// Net positions (used only without a snapshot).
        public var positions: [InstrumentId: Quantity]
        /// Orders still pending, written on every decision and report (newer than any snapshot).
        public var pendingOrders: [PendingOrder]
        /// Dedupe keys, oldest first, written as they are remembered (newer than any snapshot).
        public var finishedOrderIds: [String]
        public var seenFillKeys: [String]
        public var dedupeSequence: Int64

        public init(
            snapshot: Snapshot? = nil, tradingState: TradingState? = nil, killSwitch: Bool = false, reason: String = "",
            positions: [InstrumentId: Quantity] = [:], pendingOrders: [PendingOrder] = [], finishedOrderIds: [String] = [],
            seenFillKeys: [String] = [], dedupeSequence: Int64 = 0
        ) {
            self.snapshot = snapshot
            self.tradingState = tradingState
            self.killSwitch = killSwitch
            self.reason = reason
            self.positions = positions
            self.pendingOrders = pendingOrders
            self.finishedOrderIds = finishedOrderIds
            self.seenFillKeys = seenFillKeys
            self.dedupeSequence = dedupeSequence
        }
    }

    /// The engine a restart resumes with, and which record wins where they disagree: the snapshot
    /// (without one: the recorded trading state and positions, else `configuredState`); the pending
    /// orders and dedupe keys persisted on their own, which are newer than any snapshot; and the
    /// kill switch as recorded, which is written the moment it engages and so wins over an older
    /// snapshot (engaged again at `timeNs`).
    public static func restoring(
        _ saved: Saved, limits: RiskLimits, configuredState: TradingState, timeNs: Int64
    ) throws(ConfigurationError) -> RiskEngine {
        let reason = saved.reason.isEmpty ? "initial state from configuration" : saved.reason
        var snapshot: Snapshot
        if let saved = saved.snapshot {
            snapshot = saved
        } else {
            snapshot = try RiskEngine(
                limits: limits, tradingState: saved.tradingState ?? configuredState, tradingStateReason: reason,
                positions: saved.positions
            ).snapshot
        }
        snapshot.pendingOrders = saved.pendingOrders
        snapshot.tradingStateReason = snapshot.tradingStateReason ?? reason
        snapshot.finishedOrderIds = saved.finishedOrderIds
        snapshot.seenFillKeys = saved.seenFillKeys
        snapshot.dedupeSequence = max(snapshot.dedupeSequence ?? 0, saved.dedupeSequence)
        var engine = try RiskEngine(limits: limits, restoring: snapshot)
        if saved.killSwitch, !engine.killSwitchEngaged {
            _ = engine.apply(.killSwitch(engaged: true, reason: saved.reason, timeNs: timeNs))
        }
        return engine
    }
}
