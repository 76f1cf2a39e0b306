import Foundation
import Logging
import TradewindStore

/// Write-behind benchmark: the cost of one `enqueue` on a daemon's hot path (journal append +
/// queue hand-off, median and p99), the rows per second the writer sustains into PostgreSQL, and
/// the cost of an enqueue while the database is unreachable (the journal is then the spool).
///
///     TRADEWIND_DATABASE_URL=... tradewind-bench-store [records]
@main
enum StoreBench {
    /// A server that never answers (a socket directory that does not exist): a database outage.
    static let unreachableURL = "postgresql:///tradewind?host=/nonexistent-tradewind-bench&port=1&user=tradewind"

    static func main() async throws {
        let records = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 200_000
        guard let url = ProcessInfo.processInfo.environment["TRADEWIND_DATABASE_URL"] else {
            FileHandle.standardError.write(Data("tradewind-bench-store: set TRADEWIND_DATABASE_URL\n".utf8))
            exit(2)
        }
        let schema = "bench_\(UInt32.random(in: 0...UInt32.max))"
        try await PGConnection.withConnection(url: url) { connection in
            _ = try Migrator(schema: schema, migrations: [Migration(version: 1, name: "fills", sql: """
                CREATE TABLE fills (trade_id text PRIMARY KEY, instrument text NOT NULL, side text NOT NULL,
                    quantity numeric NOT NULL, price numeric NOT NULL, fee numeric NOT NULL, time_ns bigint NOT NULL)
                """)]).migrate(connection)
        }
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("tw-bench-\(schema)").path
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let writer = WriteBehindWriter(
            configuration: WriteBehindConfiguration(url: url, journalDirectory: journal, name: schema),
            logger: Logger(label: "bench"))
        try writer.start()

        let started = DispatchTime.now().uptimeNanoseconds
        let costs = try enqueue(records, into: writer, schema: schema)
        let enqueued = DispatchTime.now().uptimeNanoseconds
        guard await writer.flushed(timeout: .seconds(600)) else {
            print("flush timed out: \(writer.stats)")
            exit(1)
        }
        let committed = DispatchTime.now().uptimeNanoseconds
        _ = await writer.stopped(timeout: .seconds(10))
        let rows = try await PGConnection.withConnection(url: url) { connection in
            let count = try connection.execute("SELECT count(*) AS n FROM \(schema).fills").int64(0, "n") ?? 0
            _ = try connection.execute("DROP SCHEMA \(schema) CASCADE")
            return count
        }
        let seconds = Double(committed - started) / 1e9
        print("write-behind benchmark: \(records) fill rows, journal in \(journal)")
        print(summary("enqueue (hot path)", costs))
        print(String(format: "  enqueue of all rows: %.2f s; committed to PostgreSQL after %.2f s: %.0f rows/s sustained",
                     Double(enqueued - started) / 1e9, seconds, Double(records) / seconds))
        print("  rows in the table: \(rows) (expected \(records))")
        if rows != records { exit(1) }

        let outageRecords = min(records, 50_000)
        print(summary("enqueue during an outage (\(outageRecords) rows spooled)", try await outageCosts(outageRecords, schema: schema)))
    }

    /// Enqueues `count` fill rows one by one; returns what each enqueue took, in ns, sorted.
    static func enqueue(_ count: Int, into writer: WriteBehindWriter, schema: String) throws -> [Int64] {
        var costs = [Int64](repeating: 0, count: count)
        for index in 0..<count {
            let record = PersistedRecord(
                table: "\(schema).fills",
                columns: ["trade_id", "instrument", "side", "quantity", "price", "fee", "time_ns"],
                values: [.text("T-\(index)"), .text("SIM:BTCUSDT"), .text(index.isMultiple(of: 2) ? "buy" : "sell"),
                         .numeric("0.01"), .numeric("65000.12"), .numeric("0.650001"), .int(Int64(index))],
                conflict: .ignore(key: ["trade_id"]))
            let before = DispatchTime.now().uptimeNanoseconds
            try writer.enqueue(record)
            costs[index] = Int64(DispatchTime.now().uptimeNanoseconds - before)
        }
        return costs.sorted()
    }

    /// Enqueue costs while the writer cannot reach its database (retrying with backoff in the
    /// background) once it has failed at least once; nothing is committed.
    static func outageCosts(_ count: Int, schema: String) async throws -> [Int64] {
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("tw-bench-outage-\(schema)").path
        defer { try? FileManager.default.removeItem(atPath: journal) }
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let writer = WriteBehindWriter(
            configuration: WriteBehindConfiguration(url: unreachableURL, journalDirectory: journal, name: "\(schema)-outage"),
            logger: logger)
        try writer.start()
        _ = try enqueue(1, into: writer, schema: schema)
        let deadline = ContinuousClock.now + .seconds(30)
        while writer.stats.writeErrors == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let costs = try enqueue(count, into: writer, schema: schema)
        _ = await writer.stopped(timeout: .seconds(1))
        return costs
    }

    /// One line: median, p99, p99.9 and max of sorted `costs` (ns), in µs.
    static func summary(_ label: String, _ costs: [Int64]) -> String {
        func percentile(_ q: Double) -> Double { Double(costs[min(costs.count - 1, Int(q * Double(costs.count)))]) / 1_000 }
        return "  \(label): " + String(format: "median %.2f µs, p99 %.2f µs, p99.9 %.2f µs, max %.1f µs",
                                           percentile(0.5), percentile(0.99), percentile(0.999), Double(costs.last ?? 0) / 1_000)
    }
}
