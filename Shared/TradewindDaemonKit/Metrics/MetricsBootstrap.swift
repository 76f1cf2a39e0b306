import CoreMetrics
import Prometheus
import Synchronization

/// One Prometheus registry behind swift-metrics, with latency buckets from 1 µs to 1 s and every
/// family's HELP text from `MetricHelp`.
public final class MetricsBootstrap: Sendable {
    /// Histogram buckets for timers (stage latencies): 1 µs ... 1 s, in a 1-2.5-5 progression.
    public static let latencyBuckets: [Duration] = [
        .nanoseconds(1_000), .nanoseconds(2_500), .nanoseconds(5_000), .microseconds(10), .microseconds(25),
        .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
        .microseconds(2_500), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
    ]

    /// The process-wide instance that ``bootstrap()`` installs.
    public static let shared = MetricsBootstrap()
    private static let installed = Mutex(false)

    /// The registry every metric of this instance lands in.
    public let registry: PrometheusCollectorRegistry
    /// The swift-metrics factory over ``registry``, using ``latencyBuckets`` for timers.
    public let factory: DescribedMetricsFactory

    /// A fresh registry and factory; tests use one directly (`Timer(label:factory:)`) without bootstrapping.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        factory = DescribedMetricsFactory(registry: registry, durationBuckets: Self.latencyBuckets)
    }

    /// Sets `tradewind_build_info{version,commit}` to 1 (Prometheus's `*_build_info`
    /// convention). The commit is `TRADEWIND_BUILD_COMMIT`, else the `BUILD_COMMIT` file the build
    /// writes beside the executables, else "unknown".
    public func publishBuildInfo(version: String, environment: [String: String], executableDirectory: String) {
        let commit = BuildCommit.resolve(environment: environment, executableDirectory: executableDirectory)
        registry.makeGauge(
            descriptor: DescribedMetricsFactory.descriptor("tradewind_build_info"),
            labels: [("version", version), ("commit", commit)]
        ).set(1.0)
    }

    /// Installs ``shared`` as the swift-metrics backend; later calls do nothing. Returns ``shared``.
    @discardableResult
    public static func bootstrap() -> MetricsBootstrap {
        let first = installed.withLock { installed in
            defer { installed = true }
            return !installed
        }
        if first { MetricsSystem.bootstrap(shared.factory) }
        return shared
    }

    /// The registry in the Prometheus text exposition format (version 0.0.4).
    public func prometheusText() -> String {
        registry.emitToString()
    }
}
