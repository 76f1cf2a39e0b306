/// A daemon's reaction to the bus. Every method is called on the loop thread only, so a
/// handler needs no locks for state it touches only from here.
public protocol BusHandler: AnyObject {
    /// Called once on the loop thread after the sockets are up and the first heartbeat is out.
    func started(context: BusLoopContext)
    /// A validated message from a subscription (heartbeats of upstreams included).
    func handle(_ message: BusMessage, context: BusLoopContext)
    /// Every `tickInterval`, if the configuration sets one.
    func tick(nowNs: Int64, context: BusLoopContext)
    /// `missing` messages from `publisher` were lost; the host may re-sync from a snapshot.
    func sequenceGap(publisher: String, missing: UInt64, context: BusLoopContext)
    /// `publisher` started numbering again (it restarted); its state may need re-sync.
    func publisherRestarted(publisher: String, context: BusLoopContext)
    /// An upstream's heartbeats went stale or came back.
    func upstreamStalenessChanged(service: String, stale: Bool, context: BusLoopContext)
}

extension BusHandler {
    public func started(context: BusLoopContext) {}
    public func tick(nowNs: Int64, context: BusLoopContext) {}
    public func sequenceGap(publisher: String, missing: UInt64, context: BusLoopContext) {}
    public func publisherRestarted(publisher: String, context: BusLoopContext) {}
    public func upstreamStalenessChanged(service: String, stale: Bool, context: BusLoopContext) {}
}
