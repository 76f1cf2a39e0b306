/// A snapshot of a `BusLoop`'s state and counters, for /ready, /v1/info and tests.
public struct BusHealth: Sendable, Equatable {
    /// Lifecycle of the loop's sockets.
    public enum SocketState: String, Sendable {
        /// Not started yet.
        case idle
        /// PUB bound, SUBs connected, loop polling.
        case running
        /// Loop exited; sockets closed, context terminated.
        case stopped
        /// Start-up failed (see `lastError`); nothing is open.
        case failed
    }

    public var service: String
    public var socketState: SocketState = .idle
    public var lastError: String?
    public var publishEndpoint: String
    public var subscribedEndpoints: [String]
    public var messagesPublished: UInt64 = 0
    public var sendErrors: UInt64 = 0
    /// Valid messages handed to the handler.
    public var messagesReceived: UInt64 = 0
    /// Valid messages of topics no subscription wants (seen only for gap detection).
    public var messagesFiltered: UInt64 = 0
    public var messagesDropped: [BusDropReason: UInt64] = [:]
    /// Messages lost across every sequence gap.
    public var sequenceGapsTotal: UInt64 = 0
    public var sequenceGapsByPublisher: [String: UInt64] = [:]
    public var duplicatesTotal: UInt64 = 0
    public var publisherRestarts: [String: UInt64] = [:]
    /// Publishers whose lost messages the host is re-syncing, with when it started (ns).
    public var resyncing: [String: Int64] = [:]
    /// Work `BusLoop.submit` refused because the inbox held `inboxCapacity` items.
    public var submissionsRefused: UInt64 = 0
    /// Upstream service name -> heartbeat freshness.
    public var upstreams: [String: HeartbeatMonitor.Status] = [:]

    public init(service: String, publishEndpoint: String, subscribedEndpoints: [String]) {
        self.service = service
        self.publishEndpoint = publishEndpoint
        self.subscribedEndpoints = subscribedEndpoints
    }

    /// Every dropped message, whatever the reason.
    public var messagesDroppedTotal: UInt64 { messagesDropped.values.reduce(0, +) }

    /// Upstream services whose heartbeats are stale, sorted.
    public var staleUpstreams: [String] { upstreams.values.filter(\.stale).map(\.service).sorted() }

    /// Running with every upstream fresh: the bus part of a daemon's readiness.
    public var isReady: Bool { socketState == .running && staleUpstreams.isEmpty }
}
