import Foundation
import Logging
import ServiceLifecycle
import TradewindBus
import TradewindStore

/// Assembles a bus daemon: its `BusLoop` (sockets + the core machine's host on one thread), the HTTP
/// server with /health, /ready (bus up, upstream heartbeats fresh, no sequence gaps pending), /metrics
/// and /v1/info, and the lifecycle that stops both on SIGTERM.
public struct BusDaemon<Settings: Sendable> {
    public let context: DaemonContext<Settings>
    public let loop: BusLoop
    public var http: DaemonHTTPServer
    public let store: DaemonStore?

    /// Builds the loop and HTTP server; a bad upstream section stops start-up naming the key.
    public init(
        context: DaemonContext<Settings>,
        version: String = TradewindVersion.current,
        upstreams: [Upstream],
        ingresses: [Ingress] = [],
        tickInterval: Duration? = nil,
        store: DaemonStore? = nil,
        handler: any BusHandler
    ) {
        let subscriptions: [BusSubscription]
        do {
            subscriptions = try upstreams.map { upstream throws(ConfigError) in try upstream.subscription(in: context.configuration) }
                + ingresses.map { ingress throws(ConfigError) in
                    try ingress.subscription(in: context.configuration)
                }
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
        self.store = store
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
        if let store {
            http.addReadinessCheck("database") { store.readiness() }
        }
        if !upstreams.isEmpty {
            // ready only once every upstream was heard: its subscription delivers
            http.addReadinessCheck("upstream_heartbeats") {
                let health = loop.health
                let stale = health.staleUpstreams
                let unheard = health.upstreams.values.filter { $0.lastSeenNs == nil && !$0.stale }.map(\.service).sorted()
                if !stale.isEmpty { return (false, "stale: " + stale.joined(separator: ", ")) }
                if !unheard.isEmpty { return (false, "not heard yet: " + unheard.joined(separator: ", ")) }
                return (true, "fresh")
            }
            // a gap (or an upstream restart) whose lost messages the host is still re-syncing fails it
            http.addReadinessCheck("sequence") {
                let health = loop.health
                let detail = "gaps \(health.sequenceGapsTotal), dropped \(health.messagesDroppedTotal)"
                guard !health.resyncing.isEmpty else { return (true, detail) }
                return (false, detail + ", re-syncing from " + health.resyncing.keys.sorted().joined(separator: ", "))
            }
        }
    }

    /// The daemon `service` of the suite, subscribed and bound as `SuiteServices` says.
    public init(
        context: DaemonContext<Settings>, service: SuiteService, tickInterval: Duration? = nil, store: DaemonStore? = nil,
        handler: any BusHandler
    ) {
        self.init(
            context: context, upstreams: service.upstreams, ingresses: service.ingresses, tickInterval: tickInterval,
            store: store, handler: handler)
    }

    /// Readiness checks about other daemons (left out of systemd's READY=1).
    static var upstreamChecks: Set<String> { ["upstream_heartbeats", "sequence"] }

    /// Runs until SIGTERM/SIGINT, then stops intake, closes the sockets and exits 0.
    public func run() async -> Never {
        let loop = self.loop
        context.logger.info("starting", metadata: [
            "http": "\(context.common.httpAddress)", "pub_endpoint": "\(context.common.pubEndpoint)",
        ])
        let notifier = SystemdNotifier(environment: ProcessInfo.processInfo.environment)
        if notifier.watchdogPingIntervalNs != nil { loop.observeHeartbeats { notifier.watchdogPing(nowNs: $0) } }
        let bus = ThreadedService(
            name: "bus", logger: context.logger,
            start: { try loop.start() }, stop: { loop.stop() }, join: { await loop.join() }
        )
        // READY=1 once the daemon's own checks pass (state restored, bus up, database, feed);
        // checks on other daemons are left out: under systemd they all start together
        let http = self.http
        let systemd = SystemdNotifyService(
            notifier: notifier, logger: context.logger,
            isReady: { http.readiness(excluding: BusDaemon.upstreamChecks).ready })
        // shutdown runs in reverse: systemd hears STOPPING=1, the bus stops, then the store flushes
        let services: [any Service] = [http] + (store.map { [$0] } ?? []) + [bus, systemd]
        await DaemonRunner(services: services, logger: context.logger).runAndExit()
    }
}

extension DaemonContext {
    /// Opens the daemon's store (connect, migrate, replay the journal); a daemon must not run
    /// without the state it owns, so a failure ends start-up (see `failStartup`).
    public func openStore(schema: String, migrations: [Migration]) -> DaemonStore {
        do {
            let database = try DatabaseSettings(configuration)
            return try DaemonStore(schema: schema, migrations: migrations, settings: database, logger: logger)
        } catch let error as ConfigError {
            DaemonStartup.failConfiguration(executable: executable, error: error)
        } catch {
            failStartup("database start-up failed", error)
        }
    }

    /// Runs `body` on a fresh connection of `store` to rebuild state before the bus starts; a
    /// failure ends start-up.
    public func restore<State>(from store: DaemonStore, _ body: (PGConnection) throws -> State) -> State {
        do {
            let connection = try store.connection()
            defer { connection.close() }
            return try body(connection)
        } catch {
            failStartup("state restore failed", error)
        }
    }

    /// Logs `what` with the error, prints one line to stderr and exits 1.
    public func failStartup(_ what: String, _ error: any Error) -> Never {
        logger.critical("\(what)", metadata: ["error": "\(error)"])
        FileHandle.standardError.write(Data("\(executable): \(what): \(error)\n".utf8))
        exit(1)
    }
}

/// The suite's version, reported in /v1/info and heartbeats.
public enum TradewindVersion {
    public static let current = "0.1.0"
}
