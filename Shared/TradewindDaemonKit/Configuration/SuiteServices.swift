import TradewindBus

/// One daemon of the suite: its name, config section, executable, the topics it publishes, the
/// publishers it subscribes to and the ingresses it binds. Ports and endpoints are configuration
/// (`SuiteDefaults`, a file, `TRADEWIND_*`), everything else about the suite's shape is here.
public struct SuiteService: Sendable {
    /// "market-data": the heartbeat service, log and pid file names.
    public let name: String
    /// Topic patterns it publishes (`<i>` stands for an instrument id, `<strategy>` for a strategy name).
    public let publishes: [String]
    public let upstreams: [Upstream]
    public let ingresses: [Ingress]

    /// "market_data": its section in the suite's configuration.
    public var section: String { name.replacingOccurrences(of: "-", with: "_") }
    /// "tradewind-market-data".
    public var executable: String { "tradewind-\(name)" }

    init(name: String, publishes: [String], upstreams: [Upstream] = [], ingresses: [(key: String, name: String, prefixes: [String])] = []) {
        self.name = name
        self.publishes = publishes
        self.upstreams = upstreams
        let section = name.replacingOccurrences(of: "-", with: "_")
        self.ingresses = ingresses.map { Ingress(section: section, key: $0.key, name: $0.name, topicPrefixes: $0.prefixes) }
    }

    /// Subscribes to `service`'s topics starting with `prefixes`, and to its lockstep watermarks
    /// (published only in a lockstep replay).
    static func from(_ service: String, _ prefixes: [String]) -> Upstream {
        Upstream(
            section: service.replacingOccurrences(of: "-", with: "_"), service: service,
            topicPrefixes: prefixes + [BusTopic.Prefix.watermark])
    }
}

/// The suite's one table of daemons, in pipeline order. The daemons build their subscriptions from
/// it, `tradewind suite addresses --json` prints it merged with the configuration, and the scripts
/// and tests read that: nothing else names the five daemons or what they exchange.
public enum SuiteServices {
    public static let marketData = SuiteService(
        name: "market-data", publishes: ["md.quote.<i>", "md.trade.<i>", "md.book.<i>", "md.bar.<i>", BusTopic.feed])
    public static let signalBridge = SuiteService(
        name: "signal-bridge", publishes: ["sig.<strategy>.<i>", "intent.<strategy>"],
        upstreams: [SuiteService.from(marketData.name, [BusTopic.Prefix.quote])],
        ingresses: [("intent_endpoint", "research-intents", [BusTopic.Prefix.intent])])
    public static let riskManager = SuiteService(
        name: "risk-manager", publishes: [BusTopic.riskOrder, BusTopic.riskDenied, BusTopic.riskState],
        upstreams: [
            SuiteService.from(signalBridge.name, [BusTopic.Prefix.intent]),
            SuiteService.from("execution-engine", [BusTopic.Prefix.executionReport]),
            SuiteService.from(marketData.name, [BusTopic.Prefix.quote]),
        ],
        ingresses: [("control_endpoint", "control", [BusTopic.Prefix.control])])
    public static let executionEngine = SuiteService(
        name: "execution-engine", publishes: ["exec.report.<i>"],
        upstreams: [
            SuiteService.from(riskManager.name, [BusTopic.riskOrder, BusTopic.riskState]),
            // trades and books feed the simulated venue's L2 model; feed states void a book
            SuiteService.from(marketData.name, [BusTopic.Prefix.quote, BusTopic.Prefix.trade, BusTopic.Prefix.book, BusTopic.feed]),
        ])
    public static let positionTracker = SuiteService(
        name: "position-tracker", publishes: ["pos.<i>", BusTopic.portfolioPnl],
        upstreams: [
            SuiteService.from(executionEngine.name, [BusTopic.Prefix.executionReport]),
            SuiteService.from(marketData.name, [BusTopic.Prefix.quote]),
        ])

    /// What market data listens to in a lockstep replay: every downstream daemon's watermarks.
    public static let lockstepFeedback: [Upstream] = [signalBridge, riskManager, executionEngine, positionTracker].map {
        Upstream(section: $0.section, service: $0.name, topicPrefixes: [BusTopic.Prefix.watermark])
    }

    /// Upstream first: the order data flows in (start-up runs it backwards).
    public static let all = [marketData, signalBridge, riskManager, executionEngine, positionTracker]

    /// The daemon called `name` ("risk-manager"), or nil.
    public static func named(_ name: String) -> SuiteService? { all.first { $0.name == name } }
}
