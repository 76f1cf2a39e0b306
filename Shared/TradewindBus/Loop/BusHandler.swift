/// A daemon's reaction to the bus. Every method is called on the loop thread only, so a
/// handler needs no locks for state it touches only from here.
public protocol BusHandler: AnyObject {
    /// Called once on the loop thread after the sockets are up and the first heartbeat is out.
    func started(context: BusLoopContext)
    /// A validated message from a subscription (heartbeats of upstreams included).
    func handle(_ message: BusMessage, context: BusLoopContext)
    /// Every `tickInterval`, if the configuration sets one.
    func tick(nowNs: Int64, context: BusLoopContext)
    /// `missing` messages from `publisher` were lost. Returns `.resyncing` if the host re-syncs what
    /// they carried (from a snapshot or the database): the daemon is not ready until it calls
    /// `context.resyncFinished(from:)`.
    func sequenceGap(publisher: String, missing: UInt64, context: BusLoopContext) -> GapRecovery
    /// `publisher` started numbering again (it restarted; what it sent last may be lost). As for a gap.
    func publisherRestarted(publisher: String, context: BusLoopContext) -> GapRecovery
    /// An upstream's heartbeats went stale or came back.
    func upstreamStalenessChanged(service: String, stale: Bool, context: BusLoopContext)
    /// Called once on the loop thread when the loop stops, before its sockets close (finish files,
    /// close connections; publishing is no longer possible).
    func stopped(context: BusLoopContext)
}

extension BusHandler {
    public func started(context: BusLoopContext) {}
    public func tick(nowNs: Int64, context: BusLoopContext) {}
    public func sequenceGap(publisher: String, missing: UInt64, context: BusLoopContext) -> GapRecovery { .notNeeded }
    public func publisherRestarted(publisher: String, context: BusLoopContext) -> GapRecovery { .notNeeded }
    public func upstreamStalenessChanged(service: String, stale: Bool, context: BusLoopContext) {}
    public func stopped(context: BusLoopContext) {}
}

/// What a handler does about messages a publisher sent that never arrived.
public enum GapRecovery: Sendable, Equatable {
    /// Nothing was lost that the next messages do not replace (quotes, heartbeats, re-announced state).
    case notNeeded
    /// The host re-syncs the lost data and reports `resyncFinished(from:)`; until then /ready fails.
    case resyncing
}
