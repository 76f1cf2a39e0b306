/// The watchdog of watchdogs: five sensors read from what the daemons say about themselves,
/// multiplied into one score, and one state, GREEN, DEGRADED, CRITICAL or DEAD, with the sensors
/// that say no. Pure: the host (`tradewind health`) gathers an `Observation` over HTTP.
public enum SuiteHealth {
    public enum State: String, Sendable, Hashable, CaseIterable {
        case green, degraded, critical, dead

        /// `tradewind health`'s exit status: 0 green, 1 degraded, 2 critical, 3 dead.
        public var exitCode: Int32 {
            switch self {
            case .green: 0
            case .degraded: 1
            case .critical: 2
            case .dead: 3
            }
        }
    }

    public enum Sensor: String, Sendable, Hashable, CaseIterable {
        /// Every daemon's process answers its liveness probe (`/health`).
        case process
        /// Every daemon with upstreams hears their heartbeats (its `upstream_heartbeats` check).
        case heartbeat
        /// The newest market data is younger than `dataMaxAgeNs`.
        case data
        /// The control plane answers: the risk manager's trading state (where the kill switch is)
        /// and the execution engine's orders.
        case control
        /// What the daemons hold agrees: no sequence gap being re-synced, the database reachable,
        /// the last reconciliation with the venue clean.
        case coherence
    }

    public struct Thresholds: Sendable, Hashable {
        /// A score at or above this is GREEN.
        public var greenMinScore: Double
        /// At or above this (below green) DEGRADED; below it CRITICAL.
        public var degradedMinScore: Double
        /// Market data older than this is stale.
        public var dataMaxAgeNs: Int64

        public init(greenMinScore: Double = 0.99, degradedMinScore: Double = 0.5, dataMaxAgeNs: Int64 = 5_000_000_000) {
            self.greenMinScore = greenMinScore
            self.degradedMinScore = degradedMinScore
            self.dataMaxAgeNs = dataMaxAgeNs
        }
    }

    /// What one daemon answered (nil: it did not answer).
    public struct DaemonObservation: Sendable, Hashable {
        public var name: String
        /// `/health` answered 200.
        public var alive: Bool
        /// The `/ready` checks by name (ok), when it answered.
        public var checks: [String: Bool]?

        public init(name: String, alive: Bool, checks: [String: Bool]?) {
            self.name = name
            self.alive = alive
            self.checks = checks
        }
    }

    public struct Observation: Sendable, Hashable {
        public var timeNs: Int64
        public var daemons: [DaemonObservation]
        /// Event time of the newest quote the market-data daemon published (nil: none or no answer).
        public var newestMarketDataNs: Int64?
        /// Control endpoints that answered, of those asked.
        public var controlAnswered: Int
        public var controlAsked: Int

        public init(timeNs: Int64, daemons: [DaemonObservation], newestMarketDataNs: Int64?, controlAnswered: Int, controlAsked: Int) {
            self.timeNs = timeNs
            self.daemons = daemons
            self.newestMarketDataNs = newestMarketDataNs
            self.controlAnswered = controlAnswered
            self.controlAsked = controlAsked
        }
    }

    public struct Reading: Sendable, Hashable {
        public var sensor: Sensor
        /// 0 (broken) ... 1 (all right).
        public var value: Double
        public var detail: String
    }

    public struct Report: Sendable, Hashable {
        public var state: State
        public var score: Double
        public var readings: [Reading]

        /// The sensors below 1, worst first.
        public var complaints: [Reading] { readings.filter { $0.value < 1 }.sorted { $0.value < $1.value } }
    }

    public static func assess(_ observation: Observation, thresholds: Thresholds = .init()) -> Report {
        let readings = [
            process(observation), heartbeat(observation), data(observation, thresholds), control(observation),
            coherence(observation),
        ]
        let score = readings.reduce(1.0) { $0 * $1.value }
        let state: State
        if readings[0].value == 0 {
            state = .dead
        } else if score >= thresholds.greenMinScore {
            state = .green
        } else if score >= thresholds.degradedMinScore {
            state = .degraded
        } else {
            state = .critical
        }
        return Report(state: state, score: score, readings: readings)
    }

    private static func fraction(_ part: Int, of whole: Int) -> Double {
        whole == 0 ? 0 : Double(part) / Double(whole)
    }

    private static func names(_ daemons: [DaemonObservation]) -> String {
        daemons.map(\.name).joined(separator: ", ")
    }

    static func process(_ observation: Observation) -> Reading {
        let down = observation.daemons.filter { !$0.alive }
        let detail = down.isEmpty ? "all \(observation.daemons.count) alive" : "not answering: \(names(down))"
        return Reading(sensor: .process, value: fraction(observation.daemons.count - down.count, of: observation.daemons.count), detail: detail)
    }

    static func heartbeat(_ observation: Observation) -> Reading {
        // a daemon that does not answer cannot say it hears its upstreams
        let listeners = observation.daemons.filter { $0.checks == nil || $0.checks?["upstream_heartbeats"] != nil }
        let deaf = listeners.filter { $0.checks?["upstream_heartbeats"] != true }
        let detail = deaf.isEmpty ? "every upstream heard" : "upstream heartbeats stale or unknown at: \(names(deaf))"
        return Reading(sensor: .heartbeat, value: fraction(listeners.count - deaf.count, of: listeners.count), detail: detail)
    }

    static func data(_ observation: Observation, _ thresholds: Thresholds) -> Reading {
        guard let newest = observation.newestMarketDataNs else {
            return Reading(sensor: .data, value: 0, detail: "no market data seen")
        }
        let age = max(0, observation.timeNs - newest)
        let milliseconds = age / 1_000_000
        if age <= thresholds.dataMaxAgeNs { return Reading(sensor: .data, value: 1, detail: "newest market data \(milliseconds) ms old") }
        // half marks for data up to four times too old, then nothing
        let value = age <= 4 * thresholds.dataMaxAgeNs ? 0.5 : 0
        return Reading(sensor: .data, value: value, detail: "newest market data \(milliseconds) ms old (limit \(thresholds.dataMaxAgeNs / 1_000_000) ms)")
    }

    static func control(_ observation: Observation) -> Reading {
        let value = fraction(observation.controlAnswered, of: observation.controlAsked)
        return Reading(sensor: .control, value: value, detail: "\(observation.controlAnswered) of \(observation.controlAsked) control endpoints answer")
    }

    static func coherence(_ observation: Observation) -> Reading {
        let answering = observation.daemons.filter { $0.checks != nil }
        let incoherent = answering.filter { daemon in
            ["sequence", "database", "reconciliation"].contains { daemon.checks?[$0] == false }
        }
        let detail = incoherent.isEmpty
            ? "no gap re-syncing, databases reachable, reconciliation clean"
            : "gap, database or reconciliation failing at: \(names(incoherent))"
        return Reading(sensor: .coherence, value: fraction(answering.count - incoherent.count, of: answering.count), detail: detail)
    }
}
