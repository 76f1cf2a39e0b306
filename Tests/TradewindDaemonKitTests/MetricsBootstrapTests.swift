import CoreMetrics
import Testing
@testable import TradewindDaemonKit

@Suite struct MetricsBootstrapTests {
    @Test func timerHistogramHasMicrosecondBuckets() {
        let metrics = MetricsBootstrap()
        let timer = CoreMetrics.Timer(label: "tradewind_stage_latency_seconds", dimensions: [("stage", "risk")], factory: metrics.factory)
        timer.recordNanoseconds(3_000)
        timer.recordNanoseconds(40_000)
        let text = metrics.prometheusText()
        #expect(text.contains("# TYPE tradewind_stage_latency_seconds histogram"))
        #expect(text.contains(#"tradewind_stage_latency_seconds_bucket{stage="risk",le="0.000001"} 0"#))
        #expect(text.contains(#"tradewind_stage_latency_seconds_bucket{stage="risk",le="0.000005"} 1"#))
        #expect(text.contains(#"tradewind_stage_latency_seconds_bucket{stage="risk",le="0.00005"} 2"#))
        #expect(text.contains(#"tradewind_stage_latency_seconds_bucket{stage="risk",le="1.0"} 2"#))
        #expect(text.contains(#"tradewind_stage_latency_seconds_count{stage="risk"} 2"#))
    }

    @Test func countersAndGaugesRender() {
        let metrics = MetricsBootstrap()
        Counter(label: "tradewind_messages_in_total", dimensions: [("topic", "md.quote")], factory: metrics.factory).increment(by: 3)
        Gauge(label: "tradewind_db_queue_depth", factory: metrics.factory).record(7)
        let text = metrics.prometheusText()
        #expect(text.contains(#"tradewind_messages_in_total{topic="md.quote"} 3"#))
        #expect(text.contains("tradewind_db_queue_depth 7"))
    }

    @Test func bootstrapIsIdempotent() {
        #expect(MetricsBootstrap.bootstrap() === MetricsBootstrap.bootstrap())
        #expect(MetricsBootstrap.latencyBuckets.first == .microseconds(1))
        #expect(MetricsBootstrap.latencyBuckets.last == .seconds(1))
    }
}
