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

/// A bound SUB socket of the daemon itself, which short-lived publishers connect to: the
/// endpoint is `key` of the daemon's own `section` (e.g. `control_endpoint`), `name` labels it.
public struct Ingress: Sendable {
    public var section: String
    public var key: String
    public var name: String
    public var topicPrefixes: [String]

    public init(section: String, key: String, name: String, topicPrefixes: [String]) {
        self.section = section
        self.key = key
        self.name = name
        self.topicPrefixes = topicPrefixes
    }

    func subscription(in configuration: SuiteConfiguration) throws(ConfigError) -> BusSubscription {
        .ingress(endpoint: try configuration.section(section).busEndpoint(key), topicPrefixes: topicPrefixes, name: name)
    }
}
