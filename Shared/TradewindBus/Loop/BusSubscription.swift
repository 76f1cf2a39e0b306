/// One upstream publisher to connect to: its PUB endpoint, the topic prefixes wanted from it,
/// and its service name (whose heartbeats `hb.<service>` are always delivered).
public struct BusSubscription: Sendable, Equatable {
    public var endpoint: String
    public var topicPrefixes: [String]
    public var upstreamService: String
    /// Sequence numbers count every message of a publisher, so gaps are exact only if every
    /// message is seen. true: receive the upstream's whole stream and filter topics here;
    /// false: ZeroMQ filters at the publisher (less traffic) and gap checks are skipped.
    public var detectGaps: Bool
    /// false: connect to an upstream's PUB socket (the usual case); true: bind here, so many
    /// short-lived publishers (operator tools, research clients) can connect and send (an ingress).
    public var binds: Bool
    /// Whether the upstream publishes `hb.<upstreamService>` and counts for staleness on /ready.
    public var expectsHeartbeats: Bool

    /// E.g. `BusSubscription(endpoint: "ipc://.run/bus/market-data.pub", topicPrefixes: ["md.quote."], upstreamService: "market-data")`.
    public init(
        endpoint: String, topicPrefixes: [String], upstreamService: String, detectGaps: Bool = true,
        binds: Bool = false, expectsHeartbeats: Bool = true
    ) {
        self.endpoint = endpoint
        self.topicPrefixes = topicPrefixes
        self.upstreamService = upstreamService
        self.detectGaps = detectGaps
        self.binds = binds
        self.expectsHeartbeats = expectsHeartbeats
    }

    /// A bound SUB socket that any number of publishers connect to (e.g. `ctl.` commands from
    /// the operator's tool, `intent.` from research clients); no heartbeats or gap checks, since
    /// its publishers come and go.
    public static func ingress(endpoint: String, topicPrefixes: [String], name: String) -> BusSubscription {
        BusSubscription(
            endpoint: endpoint, topicPrefixes: topicPrefixes, upstreamService: name, detectGaps: false,
            binds: true, expectsHeartbeats: false)
    }

    /// The prefixes set on the ZeroMQ SUB socket.
    var socketPrefixes: [String] {
        detectGaps ? [""] : Array(Set(topicPrefixes + [heartbeatTopic]))
    }

    /// Whether a message on `topic` goes to the handler.
    func wants(topic: String) -> Bool {
        topic == heartbeatTopic || topic.hasPrefix(heartbeatTopic + ".")
            || topicPrefixes.contains { topic.hasPrefix($0) }
    }

    private var heartbeatTopic: String { BusTopic.heartbeat(service: upstreamService) }
}
