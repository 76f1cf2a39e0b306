/// Freshness of the upstream services a daemon depends on, over times given to it. Pure value.
public struct HeartbeatMonitor: Sendable, Equatable {
    /// One upstream's freshness at a given time.
    public struct Status: Sendable, Equatable {
        public var service: String
        /// When its last heartbeat arrived (CLOCK_REALTIME ns); nil if none yet.
        public var lastSeenNs: Int64?
        public var stale: Bool

        public init(service: String, lastSeenNs: Int64?, stale: Bool) {
            self.service = service
            self.lastSeenNs = lastSeenNs
            self.stale = stale
        }
    }

    public let timeoutNs: Int64
    public let graceNs: Int64
    public let startedAtNs: Int64
    private var lastSeen: [String: Int64?]

    /// Watches `upstreams`: one is stale once `timeoutNs` passes without a heartbeat, or, if it
    /// was never heard, once `graceNs` (default `timeoutNs`) has passed since `startedAtNs`.
    public init(upstreams: some Sequence<String>, timeoutNs: Int64, startedAtNs: Int64, graceNs: Int64? = nil) {
        self.timeoutNs = timeoutNs
        self.graceNs = graceNs ?? timeoutNs
        self.startedAtNs = startedAtNs
        self.lastSeen = Dictionary(upstreams.map { ($0, Int64?.none) }, uniquingKeysWith: { first, _ in first })
    }

    /// The watched services, sorted.
    public var upstreams: [String] { lastSeen.keys.sorted() }

    /// Records a heartbeat from `service` at `atNs`; services not watched are ignored.
    public mutating func recordHeartbeat(from service: String, atNs: Int64) {
        guard let previous = lastSeen[service] else { return }
        lastSeen[service] = max(previous ?? atNs, atNs)
    }

    /// Whether `service` counts as stale at `nowNs`; false for services not watched.
    public func isStale(_ service: String, nowNs: Int64) -> Bool {
        guard let seen = lastSeen[service] else { return false }
        if let seen { return nowNs - seen > timeoutNs }
        return nowNs - startedAtNs > graceNs
    }

    /// Every watched service's status at `nowNs`, sorted by service.
    public func status(nowNs: Int64) -> [Status] {
        upstreams.map { Status(service: $0, lastSeenNs: lastSeen[$0] ?? nil, stale: isStale($0, nowNs: nowNs)) }
    }

    /// The watched services that are stale at `nowNs`, sorted.
    public func staleServices(nowNs: Int64) -> [String] {
        upstreams.filter { isStale($0, nowNs: nowNs) }
    }
}
