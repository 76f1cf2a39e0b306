import Foundation
import TradewindStore

/// The `database` section: where PostgreSQL is, where the write-behind journal lives, batching.
/// The URL comes from `TRADEWIND_DATABASE_URL`, else `database.url`, else the embedded cluster
/// that `scripts/pg.sh` runs under `.run/pg` (Unix socket, port 5433).
public struct DatabaseSettings: Sendable {
    public var url: String
    public var journalDirectory: String
    public var batchSize: Int
    public var flushInterval: Duration
    public var backlogReadyThreshold: Int
    public var connectTimeout: Duration

    /// The embedded cluster's URL, relative to the working directory.
    public static func embeddedURL(workingDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        let port = ProcessInfo.processInfo.environment["TRADEWIND_PG_PORT"] ?? "5433"
        return "postgresql:///tradewind?host=\(workingDirectory)/.run/pg/sock&port=\(port)&user=tradewind"
    }

    public init(_ configuration: SuiteConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) {
        let section = try configuration.section("database")
        let configured = try section.string("url")
        if let fromEnvironment = environment["TRADEWIND_DATABASE_URL"], !fromEnvironment.isEmpty {
            url = fromEnvironment
        } else {
            url = configured.isEmpty ? Self.embeddedURL() : configured
        }
        journalDirectory = try section.nonEmptyString("journal_dir")
        batchSize = try section.int("batch_size", range: 1...10_000)
        flushInterval = try section.durationMilliseconds("flush_interval_ms", range: 1...10_000)
        backlogReadyThreshold = try section.int("backlog_ready_threshold", range: 1...100_000_000)
        connectTimeout = try section.durationMilliseconds("connect_timeout_ms", range: 100...600_000)
    }

    /// The write-behind configuration of one daemon (its own journal folder).
    public func writeBehind(name: String) -> WriteBehindConfiguration {
        var configuration = WriteBehindConfiguration(
            url: url, journalDirectory: "\(journalDirectory)/\(name)", name: name)
        configuration.batchSize = batchSize
        configuration.flushInterval = flushInterval
        configuration.backlogReadyThreshold = backlogReadyThreshold
        return configuration
    }
}
