/// Everything a `BusLoop` needs, validated by `validate()` before the loop starts.
public struct BusLoopConfiguration: Sendable, Equatable {
    /// The daemon's name: envelope publisher and heartbeat topic `hb.<service>`.
    public var service: String
    public var version: String
    /// Where this daemon's PUB socket binds, e.g. "ipc://.run/bus/risk-manager.pub".
    public var publishEndpoint: String
    public var subscriptions: [BusSubscription]
    /// How often the loop publishes its heartbeat; at most 1 s (DESIGN §3).
    public var heartbeatInterval: Duration
    /// Silence after which an upstream counts as stale (also the grace period after start).
    public var heartbeatTimeout: Duration
    /// Optional periodic `BusHandler.tick`, e.g. for a synthetic feed or timers.
    public var tickInterval: Duration?
    /// SNDHWM of the PUB socket and RCVHWM of each SUB socket, in messages.
    public var highWaterMark: Int32
    /// Largest inbound message accepted; a peer sending more is disconnected by libzmq.
    public var maxMessageBytes: Int64
    /// Most work items `BusLoop.submit` holds for the loop thread; beyond it, submissions are
    /// refused (and counted) rather than queued without bound behind a stalled loop.
    public var inboxCapacity: Int

    public init(
        service: String,
        version: String,
        publishEndpoint: String,
        subscriptions: [BusSubscription] = [],
        heartbeatInterval: Duration = .milliseconds(500),
        heartbeatTimeout: Duration = .seconds(3),
        tickInterval: Duration? = nil,
        highWaterMark: Int32 = 100_000,
        maxMessageBytes: Int64 = 16 << 20,
        inboxCapacity: Int = 65_536
    ) {
        self.service = service
        self.version = version
        self.publishEndpoint = publishEndpoint
        self.subscriptions = subscriptions
        self.heartbeatInterval = heartbeatInterval
        self.heartbeatTimeout = heartbeatTimeout
        self.tickInterval = tickInterval
        self.highWaterMark = highWaterMark
        self.maxMessageBytes = maxMessageBytes
        self.inboxCapacity = inboxCapacity
    }

    /// Rejects values the loop cannot honour, naming the key.
    public func validate() throws(BusError) {
        if service.isEmpty || service.contains(".") {
            throw .invalidConfiguration(key: "service", reason: "must be non-empty without '.', got \"\(service)\"")
        }
        if publishEndpoint.isEmpty {
            throw .invalidConfiguration(key: "publishEndpoint", reason: "must not be empty")
        }
        if heartbeatInterval <= .zero || heartbeatInterval > .seconds(1) {
            throw .invalidConfiguration(key: "heartbeatInterval", reason: "must be in (0, 1s], got \(heartbeatInterval)")
        }
        if heartbeatTimeout <= .zero {
            throw .invalidConfiguration(key: "heartbeatTimeout", reason: "must be positive, got \(heartbeatTimeout)")
        }
        if let tickInterval, tickInterval <= .zero {
            throw .invalidConfiguration(key: "tickInterval", reason: "must be positive, got \(tickInterval)")
        }
        if highWaterMark < 0 {
            throw .invalidConfiguration(key: "highWaterMark", reason: "must be >= 0 (0 = unlimited), got \(highWaterMark)")
        }
        if maxMessageBytes <= 0 {
            throw .invalidConfiguration(key: "maxMessageBytes", reason: "must be positive, got \(maxMessageBytes)")
        }
        if inboxCapacity <= 0 {
            throw .invalidConfiguration(key: "inboxCapacity", reason: "must be positive, got \(inboxCapacity)")
        }
        for (index, subscription) in subscriptions.enumerated() {
            if subscription.endpoint.isEmpty {
                throw .invalidConfiguration(key: "subscriptions[\(index)].endpoint", reason: "must not be empty")
            }
            if subscription.upstreamService.isEmpty || subscription.upstreamService.contains(".") {
                throw .invalidConfiguration(
                    key: "subscriptions[\(index)].upstreamService",
                    reason: "must be non-empty without '.', got \"\(subscription.upstreamService)\"")
            }
        }
    }
}
