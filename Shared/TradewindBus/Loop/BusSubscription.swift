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

    /// E.g. `BusSubscription(endpoint: "ipc://.run/bus/market-data.pub", topicPrefixes: ["md.quote."], upstreamService: "market-data")`.
    public init(endpoint: String, topicPrefixes: [String], upstreamService: String, detectGaps: Bool = true) {
        self.endpoint = endpoint
        self.topicPrefixes = topicPrefixes
        self.upstreamService = upstreamService
        self.detectGaps = detectGaps
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
