import Foundation
import Testing
@testable import TradewindStore

/// Builders for the write-behind tests: a journal directory, a configuration with short
/// timings, and records for an `events` (append-only) and a `positions` (upsert) table.
enum WriterHarness {
    static let tables = """
        CREATE TABLE events (seq bigint PRIMARY KEY, payload text NOT NULL, arrival bigserial);
        CREATE TABLE positions (account text, instrument text, qty numeric NOT NULL CHECK (qty <> -1),
                                updated_ns bigint NOT NULL, PRIMARY KEY (account, instrument));
        """

    static func makeJournalDirectory() -> String {
        "/tmp/twstore-\(UUID().uuidString.prefix(12))"
    }

    static func removeDirectory(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func configuration(url: String, journal: String, name: String = "test") -> WriteBehindConfiguration {
        var configuration = WriteBehindConfiguration(url: url, journalDirectory: journal, name: name)
        configuration.flushInterval = .milliseconds(5)
        configuration.retryMinimum = .milliseconds(20)
        configuration.retryMaximum = .milliseconds(300)
        return configuration
    }

    /// A URL whose server never answers (a socket directory that does not exist).
    static let unreachableURL = "postgresql:///tradewind?host=/nonexistent-tradewind-test&port=1&user=tradewind"

    static func event(_ schema: String, _ seq: Int, _ payload: String? = nil) -> PersistedRecord {
        PersistedRecord(
            table: "\(schema).events", columns: ["seq", "payload"],
            values: [.int(Int64(seq)), .text(payload ?? "event \(seq)")], conflict: .ignore(key: ["seq"]))
    }

    static func position(_ schema: String, _ account: String, _ instrument: String, qty: String, at: Int64) -> PersistedRecord {
        PersistedRecord(
            table: "\(schema).positions", columns: ["account", "instrument", "qty", "updated_ns"],
            values: [.text(account), .text(instrument), .numeric(qty), .int(at)], conflict: .update(key: ["account", "instrument"]))
    }

    struct EventSummary: Sendable, Equatable {
        var count: Int64
        var distinct: Int64
        var minimum: Int64?
        var maximum: Int64?
        /// Rows whose seq is not the previous row's seq + 1, in arrival order.
        var outOfOrder: Int64
    }

    static func events(_ schema: String) async throws -> EventSummary {
        try await TestDatabase.withConnection { connection in
            let result = try connection.execute("""
                SELECT count(*) AS n, count(DISTINCT seq) AS d, min(seq) AS lo, max(seq) AS hi,
                       (SELECT count(*) FROM (SELECT seq - lag(seq) OVER (ORDER BY arrival) AS step FROM \(schema).events) s
                        WHERE step <> 1) AS disorder
                FROM \(schema).events
                """)
            return EventSummary(
                count: try result.int64(0, "n") ?? -1, distinct: try result.int64(0, "d") ?? -1,
                minimum: try result.int64(0, "lo"), maximum: try result.int64(0, "hi"),
                outOfOrder: try result.int64(0, "disorder") ?? -1)
        }
    }

    static func positions(_ schema: String) async throws -> [String: String] {
        try await TestDatabase.withConnection { connection in
            let rows = try connection.execute("SELECT account, instrument, qty FROM \(schema).positions")
            var positions: [String: String] = [:]
            for row in 0..<rows.rowCount {
                positions["\(try rows.string(row, "account") ?? "")/\(try rows.string(row, "instrument") ?? "")"] = try rows.numeric(row, "qty")
            }
            return positions
        }
    }

    static func stop(_ writer: WriteBehindWriter) async throws -> Bool {
        try await TestDatabase.onThread { writer.stop(timeout: .seconds(10)) }
    }

    static func segmentFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".wal") }.sorted()
    }
}
