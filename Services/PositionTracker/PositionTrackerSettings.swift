import TradewindDaemonKit

/// The `position_tracker` section: how often marked positions and portfolio PnL are published.
struct PositionTrackerSettings: Sendable {
    var publishInterval: Duration

    init(_ configuration: SuiteConfiguration) throws(ConfigError) {
        let section = try configuration.section("position_tracker")
        publishInterval = try section.durationMilliseconds("publish_interval_ms", range: 50...60_000)
    }
}
