/// The body of `GET /v1/info`: who the daemon is and where it sits on the bus, for discovery by tools.
public struct DaemonInfo: Codable, Sendable, Equatable {
    /// One upstream the daemon subscribes to.
    public struct Subscription: Codable, Sendable, Equatable {
        /// The publisher's endpoint (`ipc://...`, `tcp://...`).
        public var endpoint: String
        /// The topic prefixes subscribed to on that endpoint (e.g. `md.quote.`).
        public var topicPrefixes: [String]
        /// The publishing daemon (e.g. `market-data`).
        public var service: String

        public init(endpoint: String, topicPrefixes: [String], service: String) {
            self.endpoint = endpoint
            self.topicPrefixes = topicPrefixes
            self.service = service
        }

        enum CodingKeys: String, CodingKey {
            case endpoint
            case topicPrefixes = "topic_prefixes"
            case service
        }
    }

    public var name: String
    public var version: String
    /// The endpoint the daemon's PUB socket binds.
    public var pubEndpoint: String
    public var subscriptions: [Subscription]
    /// The HTTP address as `host:port` (the bound port once the server runs).
    public var http: String
    /// When the daemon started, RFC 3339 UTC.
    public var startedAt: String

    /// Describes a daemon; `startedAt` defaults to now.
    public init(
        name: String,
        version: String,
        pubEndpoint: String,
        subscriptions: [Subscription],
        http: String,
        startedAt: String? = nil
    ) {
        self.name = name
        self.version = version
        self.pubEndpoint = pubEndpoint
        self.subscriptions = subscriptions
        self.http = http
        self.startedAt = startedAt ?? WallClock.rfc3339Now()
    }

    enum CodingKeys: String, CodingKey {
        case name, version, subscriptions, http
        case pubEndpoint = "pub_endpoint"
        case startedAt = "started_at"
    }
}
