
/// The `position_tracker` section: how often marked positions and portfolio PnL are published,
/// and how often a position snapshot (the restart point of recovery) is written.
public struct PositionTrackerSettings: Sendable {
    public var publishInterval: Duration
    public var snapshotInterval: Duration

    public init(_ configuration: SuiteConfiguration) throws(ConfigError) {
        let section = try configuration.section("position_tracker")
        publishInterval = try section.durationMilliseconds("publish_interval_ms", range: 50...60_000)
        snapshotInterval = try section.durationMilliseconds("snapshot_interval_ms", range: 100...86_400_000)
    }
}
