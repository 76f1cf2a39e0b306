import Foundation
import Logging
import TradewindStore

/// Write-behind benchmark: the cost of one `enqueue` on a daemon's hot path (journal append +
/// queue hand-off, median and p99) and the rows per second the writer sustains into PostgreSQL.
///
///     TRADEWIND_DATABASE_URL=... tradewind-bench-store [records]
@main
enum StoreBench {
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

        var costs = [Int64](repeating: 0, count: records)
        let started = DispatchTime.now().uptimeNanoseconds
        for index in 0..<records {
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
        costs.sort()
        func percentile(_ q: Double) -> Double { Double(costs[min(costs.count - 1, Int(q * Double(costs.count)))]) / 1_000 }
        let seconds = Double(committed - started) / 1e9
        print("write-behind benchmark: \(records) fill rows, journal in \(journal)")
        print(String(format: "  enqueue (hot path): median %.2f µs, p99 %.2f µs, p99.9 %.2f µs, max %.1f µs",
                     percentile(0.5), percentile(0.99), percentile(0.999), Double(costs.last ?? 0) / 1_000))
        print(String(format: "  enqueue of all rows: %.2f s; committed to PostgreSQL after %.2f s: %.0f rows/s sustained",
                     Double(enqueued - started) / 1e9, seconds, Double(records) / seconds))
        print("  rows in the table: \(rows) (expected \(records))")
        if rows != records { exit(1) }
    }
}
