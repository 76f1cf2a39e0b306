/// `ExecutionCore` wired to an in-process `SimulatedVenue`: venue commands are executed at
/// once and the venue's responses fed back, so one call returns the whole cascade.
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
                pending += venue.handle(command, timeNs: eventTime(current)).map { ExecutionEvent.venue($0) }
            }
        }
        return outputs
    }

    private func eventTime(_ event: ExecutionEvent) -> Int64 {
        switch event {
        case .approved(let order): return order.timeNs
        case .venue(let venueEvent): return venueEvent.timeNs
        case .quote(let quote): return quote.timeNs
        case .cancel(_, let timeNs), .cancelAll(_, let timeNs): return timeNs
        }
    }
}
