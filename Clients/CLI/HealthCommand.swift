import ArgumentParser
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization
import TradewindBus
import TradewindCore
import TradewindDaemonKit

/// `tradewind health`: the watchdog of watchdogs. Asks every daemon how it is (`/health`, `/ready`,
/// the market data's newest quote, the control views) and reports one state with the sensors that
/// say no (`SuiteHealth`). One shot (exit 0 green, 1 degraded, 2 critical, 3 dead), `--watch`, or
/// `--serve`: the same as Prometheus metrics on the `health` section's address.
struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One answer to \"is the suite all right?\": GREEN, DEGRADED, CRITICAL or DEAD, and which sensor says no.",
        discussion: """
            Sensors: process (every daemon answers /health), heartbeat (every daemon hears its \
            upstreams), data (the newest market data is younger than health.data_max_age_ms), control \
            (the risk manager's and execution engine's control views answer), coherence (no sequence \
            gap being re-synced, databases reachable, reconciliation clean). The score is their product; \
            thresholds are the health section's. Exit status: 0 green, 1 degraded, 2 critical, 3 dead.
            """)

    @OptionGroup var suite: SuiteOptions

    @Flag(help: "Assess again every health.interval_ms until interrupted.")
    var watch = false

    @Flag(help: "Serve the assessment as Prometheus metrics (/metrics), /v1/health and /ready on health.listen.")
    var serve = false

    @Option(help: "Override health.listen (HOST:PORT) for --serve.")
    var listen: String?

    @Flag(help: "Print the assessment as JSON.")
    var json = false

    func run() async throws {
        let settings: HealthSettings
        let daemons: [DaemonAddress]
        do {
            let configuration = try suite.configuration()
            var health = try HealthSettings(configuration)
            if let listen { health = try HealthSettings.overriding(health, listen: listen) }
            settings = health
            daemons = try suite.daemons()
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("configuration: \(error)")
        }
        let probe = HealthProbe(daemons: daemons, timeout: settings.requestTimeout)
        if serve {
            try await HealthServer(probe: probe, settings: settings).run()
            return
        }
        while true {
            let report = SuiteHealth.assess(await probe.observe(), thresholds: settings.thresholds)
            print(json ? HealthJSON.text(report) : HealthText.render(report))
            guard watch else { throw ExitCode(report.state.exitCode) }
            try await Task.sleep(for: settings.interval)
        }
    }
}

extension HealthSettings {
    static func overriding(_ settings: HealthSettings, listen: String) throws -> HealthSettings {
        guard let (host, port) = address(listen) else { throw ValidationError("--listen must be HOST:PORT") }
        var copy = settings
        copy.host = host
        copy.port = port
        return copy
    }
}

/// Gathers one `SuiteHealth.Observation` over HTTP, every daemon at once.
struct HealthProbe: Sendable {
    let daemons: [DaemonAddress]
    let timeout: Duration

    private var seconds: TimeInterval { Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18 }

    func observe() async -> SuiteHealth.Observation {
        let seconds = self.seconds
        // the data's age is measured from when the probe asked, not from when the slowest answered
        let askedNs = WallClock.nowNs()
        async let observed = withTaskGroup(of: (Int, SuiteHealth.DaemonObservation).self) { group in
            for (index, daemon) in daemons.enumerated() {
                group.addTask {
                    let alive = await DaemonHTTP.get(daemon.baseURL + "/health", timeout: seconds)?.status == 200
                    let ready = await DaemonHTTP.get(daemon.baseURL + "/ready", timeout: seconds)
                    return (index, SuiteHealth.DaemonObservation(name: daemon.name, alive: alive, checks: ready.flatMap { Self.checks($0.body) }))
                }
            }
            var results: [(Int, SuiteHealth.DaemonObservation)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        async let newest = newestMarketData(seconds)
        async let control = controlAnswers(seconds)
        let (daemonsSeen, newestNs, answered) = await (observed, newest, control)
        return SuiteHealth.Observation(
            timeNs: askedNs, daemons: daemonsSeen, newestMarketDataNs: newestNs, controlAnswered: answered, controlAsked: 2)
    }

    /// `{"checks": {name: {"ok": Bool}}}` of a /ready body.
    static func checks(_ body: Data) -> [String: Bool]? {
        guard let members = (try? ConfigValue(parsingJSON: String(decoding: body, as: UTF8.self)))?["checks"]?.objectMembers else { return nil }
        return members.mapValues { $0["ok"] == .bool(true) }
    }

    private func newestMarketData(_ seconds: TimeInterval) async -> Int64? {
        guard let market = daemons.first(where: { $0.name == "market-data" }),
            let (status, body) = await DaemonHTTP.get(market.baseURL + "/v1/market", timeout: seconds), status == 200,
            let quotes = (try? ConfigValue(parsingJSON: String(decoding: body, as: UTF8.self)))?["quotes"]?.objectMembers
        else { return nil }
        return quotes.values.compactMap { quote -> Int64? in
            guard case .number(let text)? = quote["time_ns"] else { return nil }
            return Int64(text)
        }.max()
    }

    private func controlAnswers(_ seconds: TimeInterval) async -> Int {
        var answered = 0
        for (name, path) in [("risk-manager", "/v1/risk"), ("execution-engine", "/v1/orders")] {
            guard let daemon = daemons.first(where: { $0.name == name }) else { continue }
            if await DaemonHTTP.get(daemon.baseURL + path, timeout: seconds)?.status == 200 { answered += 1 }
        }
        return answered
    }
}

enum HealthText {
    static func render(_ report: SuiteHealth.Report) -> String {
        var lines = ["\(report.state.rawValue.uppercased())  score \(String(format: "%.2f", report.score))"]
        for reading in report.readings {
            lines.append("  \(reading.sensor.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(format: "%.2f", reading.value))  \(reading.detail)")
        }
        return lines.joined(separator: "\n")
    }
}

enum HealthJSON {
    static func object(_ report: SuiteHealth.Report) -> ConfigValue {
        .object([
            "state": .string(report.state.rawValue), "score": .number(String(report.score)),
            "sensors": .object(Dictionary(uniqueKeysWithValues: report.readings.map {
                ($0.sensor.rawValue, ConfigValue.object(["value": .number(String($0.value)), "detail": .string($0.detail)]))
            })),
            "complaints": .array(report.complaints.map { .string($0.sensor.rawValue) }),
        ])
    }

    static func text(_ report: SuiteHealth.Report) -> String { object(report).jsonText() }
}

/// `tradewind health --serve`: assesses every interval and serves the last report.
struct HealthServer {
    let probe: HealthProbe
    let settings: HealthSettings

    func run() async throws {
        _ = try? LoggingBootstrap.bootstrap(service: "health")
        let logger = Logger(label: "tradewind.health")
        let metrics = MetricsBootstrap()
        let gauges = HealthGauges(registry: metrics.registry)
        let latest = Mutex<SuiteHealth.Report?>(nil)
        var http = DaemonHTTPServer(
            host: settings.host, port: settings.port,
            info: DaemonInfo(
                name: "tradewind-health", version: TradewindVersion.current, pubEndpoint: "", subscriptions: [],
                http: "\(settings.host):\(settings.port)"),
            metrics: metrics, logger: logger)
        http.addReadinessCheck("assessed") {
            latest.withLock { $0 }.map { (true, "last state \($0.state.rawValue)") } ?? (false, "no assessment yet")
        }
        http.addRoute(.get, path: "/v1/health") { _ in
            guard let report = latest.withLock({ $0 }) else { return try .json(["state": "unknown"], status: 503) }
            return DaemonHTTPResponse(contentType: "application/json", body: Array(HealthJSON.text(report).utf8))
        }
        let (probe, thresholds, interval) = (self.probe, settings.thresholds, settings.interval)
        let assessor = HealthAssessor(interval: interval, logger: logger) {
            let report = SuiteHealth.assess(await probe.observe(), thresholds: thresholds)
            let previous = latest.withLock { old in defer { old = report }; return old }
            gauges.record(report)
            if previous?.state != report.state {
                logger.notice("health state", metadata: [
                    "state": "\(report.state.rawValue)", "score": "\(report.score)",
                    "complaints": "\(report.complaints.map { "\($0.sensor.rawValue): \($0.detail)" })",
                ])
            }
        }
        try await DaemonRunner(services: [http, assessor], logger: logger).run()
    }
}

/// Assesses once per interval until graceful shutdown.
struct HealthAssessor: Service {
    let interval: Duration
    let logger: Logger
    let assess: @Sendable () async -> Void

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await assess()
            try? await Task.sleep(for: interval)
        }
    }
}

/// `tradewind_health_score`, `tradewind_health_state{state}`, `tradewind_health_sensor{sensor}`.
struct HealthGauges: Sendable {
    let score: Gauge
    let states: [(SuiteHealth.State, Gauge)]
    let sensors: [(SuiteHealth.Sensor, Gauge)]

    init(registry: PrometheusCollectorRegistry) {
        func gauge(_ name: String, _ labels: [(String, String)] = []) -> Gauge {
            registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: MetricHelp.text(for: name)), labels: labels)
        }
        score = gauge("tradewind_health_score")
        states = SuiteHealth.State.allCases.map { ($0, gauge("tradewind_health_state", [("state", $0.rawValue)])) }
        sensors = SuiteHealth.Sensor.allCases.map { ($0, gauge("tradewind_health_sensor", [("sensor", $0.rawValue)])) }
    }

    func record(_ report: SuiteHealth.Report) {
        score.set(report.score)
        for (state, gauge) in states { gauge.set(state == report.state ? 1.0 : 0.0) }
        for (sensor, gauge) in sensors { gauge.set(report.readings.first { $0.sensor == sensor }?.value ?? 0) }
    }
}
