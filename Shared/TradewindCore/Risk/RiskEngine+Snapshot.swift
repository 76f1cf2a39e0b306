extension RiskEngine {
    /// Everything the engine decides from, to persist and restore across a restart: an engine
    /// restored from a snapshot makes the same decisions as the one that took it.
    public struct Snapshot: Sendable, Hashable, Codable {
        public var tradingState: TradingState
        public var killSwitchEngaged: Bool
        public var killSwitchReason: String
        /// Net position per instrument.
        public var positions: [InstrumentId: Quantity]
        /// Positions with cost basis and realized PnL, sorted by instrument.
        public var positionDetails: [Position]
        /// The UTC day of `dailyRealizedPnl`.
        public var day: UTCDay?
        public var dailyRealizedPnl: Money
        public var equityPeak: Money
        public var latestTimeNs: Int64?
        public var breachLatches: BreachLatches
        public var circuitBreakers: [String: CircuitBreaker]
        /// Pending orders, sorted by client order id.
        public var pendingOrders: [PendingOrder]
        public var strategyBuckets: [String: TokenBucket]
        public var globalBucket: TokenBucket?
        /// Latest quote per instrument, sorted by instrument.
        public var lastQuotes: [Quote]
        /// Client order ids of finished orders (refused as duplicates), oldest first.
        public var finishedOrderIds: [String]
        /// Dedupe keys of fills already counted, oldest first.
        public var seenFillKeys: [String]
        /// Why trading is in `tradingState`; nil in snapshots written before it was kept.
        public var tradingStateReason: String?
        /// The sequence of the last dedupe key remembered; nil in snapshots written before it was kept.
        public var dedupeSequence: Int64?

        public init(
            tradingState: TradingState, killSwitchEngaged: Bool, killSwitchReason: String,
            positions: [InstrumentId: Quantity], positionDetails: [Position], day: UTCDay?,
            dailyRealizedPnl: Money, equityPeak: Money, latestTimeNs: Int64?, breachLatches: BreachLatches,
            circuitBreakers: [String: CircuitBreaker], pendingOrders: [PendingOrder],
            strategyBuckets: [String: TokenBucket], globalBucket: TokenBucket?, lastQuotes: [Quote],
            finishedOrderIds: [String], seenFillKeys: [String], tradingStateReason: String? = nil,
            dedupeSequence: Int64? = nil
        ) {
            self.tradingState = tradingState
            self.killSwitchEngaged = killSwitchEngaged
            self.killSwitchReason = killSwitchReason
            self.positions = positions
            self.positionDetails = positionDetails
            self.day = day
            self.dailyRealizedPnl = dailyRealizedPnl
            self.equityPeak = equityPeak
            self.latestTimeNs = latestTimeNs
            self.breachLatches = breachLatches
            self.circuitBreakers = circuitBreakers
            self.pendingOrders = pendingOrders
            self.strategyBuckets = strategyBuckets
            self.globalBucket = globalBucket
            self.lastQuotes = lastQuotes
            self.finishedOrderIds = finishedOrderIds
            self.seenFillKeys = seenFillKeys
            self.tradingStateReason = tradingStateReason
            self.dedupeSequence = dedupeSequence
        }
    }

    /// The engine's whole state.
    public var snapshot: Snapshot { snapshot(includingPendingOrders: true, includingDedupeMemory: true) }

    /// The engine's state, optionally without the pending orders (a host that persists them on
    /// their own) and without the dedupe memories (up to 100 000 ids each, costly to copy on every
    /// fill: such a host persists each key as `RiskOutput.remembered` announces it).
    public func snapshot(includingPendingOrders: Bool, includingDedupeMemory: Bool) -> Snapshot {
        Snapshot(
            tradingState: tradingState, killSwitchEngaged: killSwitchEngaged, killSwitchReason: killSwitchReason,
            positions: positions, positionDetails: ledger.book.keys.sorted().compactMap { ledger.book[$0] },
            day: ledger.day, dailyRealizedPnl: ledger.dailyRealizedPnl, equityPeak: ledger.equityPeak,
            latestTimeNs: latestTimeNs, breachLatches: breachLatches, circuitBreakers: circuitBreakers,
            pendingOrders: includingPendingOrders ? pendingOrders.keys.sorted().compactMap { pendingOrders[$0] } : [],
            strategyBuckets: strategyBuckets, globalBucket: globalBucket,
            lastQuotes: lastQuotes.keys.sorted().compactMap { lastQuotes[$0] },
            finishedOrderIds: includingDedupeMemory ? finishedOrders.orderedElements : [],
            seenFillKeys: includingDedupeMemory ? seenFills.orderedElements : [],
            tradingStateReason: tradingStateReason, dedupeSequence: dedupeSequence)
    }

    /// Restores an engine from `snapshot` under `limits` (which may have changed since).
    ///
    /// Throws if the limits are invalid or the snapshot contradicts itself (kill switch engaged but
    /// not halted, a position detail disagreeing with the net position).
    public init(limits: RiskLimits, restoring snapshot: Snapshot) throws(ConfigurationError) {
        try self.init(
            limits: limits, tradingState: snapshot.tradingState, tradingStateReason: snapshot.tradingStateReason ?? "",
            positions: snapshot.positions, pendingOrders: snapshot.pendingOrders)
        if snapshot.killSwitchEngaged, snapshot.tradingState != .halted {
            throw ConfigurationError(
                key: "snapshot.tradingState", value: "\(snapshot.tradingState)", reason: "must be halted while the kill switch is engaged")
        }
        for position in snapshot.positionDetails where position.quantity != (snapshot.positions[position.instrument] ?? .zero) {
            throw ConfigurationError(
                key: "snapshot.positionDetails[\(position.instrument)]", value: "\(position.quantity)",
                reason: "differs from the net position \(snapshot.positions[position.instrument] ?? .zero)")
        }
        killSwitchEngaged = snapshot.killSwitchEngaged
        killSwitchReason = snapshot.killSwitchReason
        ledger = RiskLedger(
            book: snapshot.positionDetails, day: snapshot.day, dailyRealizedPnl: snapshot.dailyRealizedPnl,
            equityPeak: snapshot.equityPeak)
        latestTimeNs = snapshot.latestTimeNs
        breachLatches = snapshot.breachLatches
        circuitBreakers = snapshot.circuitBreakers.filter { allowedVenues.contains($0.key) }
        strategyBuckets = snapshot.strategyBuckets
        globalBucket = snapshot.globalBucket
        lastQuotes = Dictionary(snapshot.lastQuotes.map { ($0.instrument, $0) }, uniquingKeysWith: { _, last in last })
        finishedOrders = BoundedSet(capacity: DedupeMemory.capacity, snapshot.finishedOrderIds)
        seenFills = BoundedSet(capacity: DedupeMemory.capacity, snapshot.seenFillKeys)
        dedupeSequence = snapshot.dedupeSequence ?? 0
    }
}
