/// `ExecutionCore` wired to an in-process `SimulatedVenue`: venue commands (submit, cancel, query)
/// are executed at once and the venue's responses fed back, so one call returns the whole cascade.
///
/// Used by backtests and by the execution daemon in simulated mode. Returned outputs include
/// the `.venueCommand`s for logging; they have already been executed.
public struct SimulatedExecutionLoop: Sendable {
    public private(set) var core: ExecutionCore
    public private(set) var venue: SimulatedVenue

    public init(core: ExecutionCore, venue: SimulatedVenue) {
        self.core = core
        self.venue = venue
    }

    /// Applies `event` and every venue response it causes, in order.
    public mutating func apply(_ event: ExecutionEvent) -> [ExecutionOutput] {
        var pending: [ExecutionEvent] = [event]
        if case .quote(let quote) = event {
            pending += venue.onQuote(quote).map { ExecutionEvent.venue($0) }
        }
        var outputs: [ExecutionOutput] = []
        var index = 0
        while index < pending.count {
            let current = pending[index]
            index += 1
            let produced = core.apply(current)
            outputs += produced
            for output in produced {
                guard case .venueCommand(let command) = output else { continue }
                pending += venue.handle(command, timeNs: current.timeNs).map { ExecutionEvent.venue($0) }
            }
        }
        return outputs
    }

    /// Reconciles the engine with the venue's open orders on `instruments`, their trades since
    /// `sinceNs` and (if `expectedBalances` is given) the account, then applies the report: its
    /// events first, then its commands at the venue with their responses.
    public mutating func reconcile(
        policy: ReconciliationPolicy, instruments: [InstrumentId], sinceNs: Int64,
        expectedBalances: [String: Quantity]? = nil, timeNs: Int64
    ) -> (report: ReconciliationReport, outputs: [ExecutionOutput]) {
        let report = Reconciler.reconcile(
            core: core, venueOpenOrders: venue.openOrders(instruments: instruments),
            venueTrades: instruments.flatMap { venue.trades(instrument: $0, sinceNs: sinceNs) },
            instruments: Set(instruments), expectedBalances: expectedBalances,
            account: expectedBalances == nil ? nil : venue.account(timeNs: timeNs), policy: policy, timeNs: timeNs)
        var outputs: [ExecutionOutput] = []
        for event in report.events { outputs += apply(event) }
        for command in report.commands {
            outputs.append(.venueCommand(command))
            for response in venue.handle(command, timeNs: timeNs) { outputs += apply(.venue(response)) }
        }
        return (report, outputs)
    }
}
