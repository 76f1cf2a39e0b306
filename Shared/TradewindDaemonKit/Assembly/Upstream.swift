import TradewindBus

/// A publisher a daemon subscribes to: the config section holding its `pub_endpoint`, its service
/// name (for heartbeats) and the topic prefixes wanted from it.
public struct Upstream: Sendable {
    public var section: String
    public var service: String
    public var topicPrefixes: [String]

    public init(section: String, service: String, topicPrefixes: [String]) {
        self.section = section
        self.service = service
        self.topicPrefixes = topicPrefixes
    }

    /// The bus subscription, with the endpoint read (and resolved) from the upstream's section.
    func subscription(in configuration: SuiteConfiguration) throws(ConfigError) -> BusSubscription {
        let endpoint = try DaemonCommonConfiguration(section: try configuration.section(section)).pubEndpoint
        return BusSubscription(endpoint: endpoint, topicPrefixes: topicPrefixes, upstreamService: service)
    }
}
