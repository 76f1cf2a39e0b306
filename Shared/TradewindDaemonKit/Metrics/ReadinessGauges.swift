import Prometheus

/// `tradewind_ready` and `tradewind_ready_check{check}`: what `/ready` says, as gauges set at
/// scrape time (the checks are cheap snapshot reads), so alerts and dashboards see readiness.
struct ReadinessGauges: Sendable {
    private let checks: [ReadinessCheck]
    private let ready: Gauge
    private let perCheck: [Gauge]

    init(checks: [ReadinessCheck], registry: PrometheusCollectorRegistry) {
        self.checks = checks
        ready = registry.makeGauge(descriptor: DescribedMetricsFactory.descriptor("tradewind_ready"), labels: [])
        perCheck = checks.map {
            registry.makeGauge(descriptor: DescribedMetricsFactory.descriptor("tradewind_ready_check"), labels: [("check", $0.name)])
        }
    }

    func update() {
        var all = true
        for (check, gauge) in zip(checks, perCheck) {
            let ok = check.evaluate().ok
            all = all && ok
            gauge.set(ok ? 1.0 : 0.0)
        }
        ready.set(all ? 1.0 : 0.0)
    }
}
