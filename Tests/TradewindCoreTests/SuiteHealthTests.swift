import Testing
import TradewindCore

@Suite struct SuiteHealthTests {
    typealias H = SuiteHealth
    static let now: Int64 = 1_000_000_000_000
    static let upstreams = ["signal-bridge", "risk-manager", "execution-engine", "position-tracker"]

    /// A suite as it is when all is well; `change` breaks something.
    static func observation(_ change: (inout H.Observation) -> Void = { _ in }) -> H.Observation {
        var daemons = [H.DaemonObservation(name: "market-data", alive: true, checks: ["bus": true, "database": true])]
        for name in upstreams {
            var checks = ["bus": true, "database": true, "upstream_heartbeats": true, "sequence": true]
            if name == "execution-engine" { checks["reconciliation"] = true }
            daemons.append(H.DaemonObservation(name: name, alive: true, checks: checks))
        }
        var observation = H.Observation(
            timeNs: now, daemons: daemons, newestMarketDataNs: now - 200_000_000, controlAnswered: 2, controlAsked: 2)
        change(&observation)
        return observation
    }

    static func value(_ report: H.Report, _ sensor: H.Sensor) -> Double? {
        report.readings.first { $0.sensor == sensor }?.value
    }

    @Test func aHealthySuiteIsGreenWithEverySensorAtOne() {
        let report = H.assess(Self.observation())
        #expect(report.state == .green && report.score == 1)
        #expect(report.readings.map(\.sensor) == H.Sensor.allCases)
        #expect(report.complaints.isEmpty)
    }

    @Test func aStoppedDaemonCostsItsProcessAndItsListenersHeartbeats() {
        // signal-bridge does not answer; the risk manager no longer hears it
        let report = H.assess(Self.observation {
            $0.daemons[1] = H.DaemonObservation(name: "signal-bridge", alive: false, checks: nil)
            $0.daemons[2].checks?["upstream_heartbeats"] = false
        })
        #expect(Self.value(report, .process) == 0.8)
        #expect(Self.value(report, .heartbeat) == 0.5)
        #expect(report.state == .critical)
        #expect(report.complaints.map(\.sensor) == [.heartbeat, .process])
        #expect(report.complaints.first?.detail == "upstream heartbeats stale or unknown at: signal-bridge, risk-manager")
    }

    @Test func oneStaleListenerIsDegradedNotCritical() {
        let report = H.assess(Self.observation { $0.daemons[4].checks?["upstream_heartbeats"] = false })
        #expect(Self.value(report, .heartbeat) == 0.75 && report.state == .degraded)
    }

    @Test(arguments: [(Int64(4_000_000_000), 1.0), (6_000_000_000, 0.5), (21_000_000_000, 0.0)])
    func marketDataAgesAgainstItsLimit(age: Int64, expected: Double) {
        let report = H.assess(Self.observation { $0.newestMarketDataNs = Self.now - age })
        #expect(Self.value(report, .data) == expected)
    }

    @Test func noMarketDataAtAllIsCriticalData() {
        let report = H.assess(Self.observation { $0.newestMarketDataNs = nil })
        #expect(Self.value(report, .data) == 0 && report.state == .critical && report.score == 0)
    }

    @Test func anUnansweredControlPlaneAndAnIncoherentDaemonCount() {
        let report = H.assess(Self.observation {
            $0.controlAnswered = 1
            $0.daemons[3].checks?["reconciliation"] = false
        })
        #expect(Self.value(report, .control) == 0.5 && Self.value(report, .coherence) == 0.8)
        #expect(report.score == 0.4 && report.state == .critical)
    }

    @Test func nothingAnsweringIsDeadAndThresholdsAreConfiguration() {
        let dead = H.assess(Self.observation {
            $0.daemons = $0.daemons.map { H.DaemonObservation(name: $0.name, alive: false, checks: nil) }
            $0.newestMarketDataNs = nil
            $0.controlAnswered = 0
        })
        #expect(dead.state == .dead && dead.state.exitCode == 3)
        let strict = H.Thresholds(greenMinScore: 0.99, degradedMinScore: 0.9, dataMaxAgeNs: 100_000_000)
        #expect(H.assess(Self.observation(), thresholds: strict).state == .critical)  // 200 ms old data: 0.5
    }
}
