import Logging
import TradewindBus

/// Assembles a bus daemon: its `BusLoop` (sockets + the core machine's host on one thread), the HTTP
/// server with /health, /ready (bus up, upstream heartbeats fresh, no sequence gaps pending), /metrics
/// and /v1/info, and the lifecycle that stops both on SIGTERM.
public struct BusDaemon<Settings: Sendable> {
    public let context: DaemonContext<Settings>
    public let loop: BusLoop
    public var http: DaemonHTTPServer

    /// Builds the loop and HTTP server; a bad upstream section stops start-up naming the key.
    public init(
        context: DaemonContext<Settings>,
        version: String = TradewindVersion.current,
        upstreams: [Upstream],
        tickInterval: Duration? = nil,
        handler: any BusHandler
    ) {
        let subscriptions: [BusSubscription]
        do {
            subscriptions = try upstreams.map { upstream throws(ConfigError) in try upstream.subscription(in: context.configuration) }
        } catch {
            DaemonStartup.failConfiguration(executable: context.executable, error: error)
        }
        let configuration = BusLoopConfiguration(
            service: context.service,
            version: version,
            publishEndpoint: context.common.pubEndpoint,
            subscriptions: subscriptions,
            heartbeatInterval: context.common.heartbeatInterval,
            heartbeatTimeout: context.common.heartbeatTimeout,
            tickInterval: tickInterval
        )
        self.context = context
        self.loop = BusLoop(configuration: configuration, handler: handler, logger: context.logger)
        self.http = context.makeHTTPServer(
            version: version,
            subscriptions: subscriptions.map {
                DaemonInfo.Subscription(endpoint: $0.endpoint, topicPrefixes: $0.topicPrefixes, service: $0.upstreamService)
            },
            controlToken: try? BearerToken.load()
        )
        let loop = self.loop
        http.addReadinessCheck("bus") {
            let health = loop.health
            return (health.socketState == .running, health.lastError ?? health.socketState.rawValue)
        }
        if !subscriptions.isEmpty {
            http.addReadinessCheck("upstream_heartbeats") {
                let stale = loop.health.staleUpstreams
                return (stale.isEmpty, stale.isEmpty ? "fresh" : "stale: " + stale.joined(separator: ", "))
            }
            http.addReadinessCheck("sequence") {
                let health = loop.health
                let detail = "gaps \(health.sequenceGapsTotal), dropped \(health.messagesDroppedTotal)"
                return (true, detail)
            }
        }
    }

    /// Runs until SIGTERM/SIGINT, then stops intake, closes the sockets and exits 0.
    public func run() async -> Never {
        let loop = self.loop
        context.logger.info("starting", metadata: [
            "http": "\(context.common.httpAddress)", "pub_endpoint": "\(context.common.pubEndpoint)",
        ])
        let bus = ThreadedService(
            name: "bus", logger: context.logger,
            start: { try loop.start() }, stop: { loop.stop() }, join: { await loop.join() }
        )
        await DaemonRunner(services: [http, bus], logger: context.logger).runAndExit()
    }
}

/// The suite's version, reported in /v1/info and heartbeats.
public enum TradewindVersion {
    public static let current = "0.1.0"
}
