import ArgumentParser
import Foundation
import TradewindDaemonKit
import TradewindStore

/// `tradewind audit verify`: feeds `execution_engine.order_audit_trail` page by page, in sequence
/// order, to `HashChain.Verifier` and reports the first broken link (changed content, a removed or
/// reordered row).
struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every link of the order audit trail's hash chain."
    )

    @Option(name: .customLong("database-url"), help: "libpq URL (default: TRADEWIND_DATABASE_URL, else the embedded cluster under .run/pg).")
    var databaseURL: String?

    static let pageSize = 10_000

    func run() throws {
        let url = databaseURL ?? ProcessInfo.processInfo.environment["TRADEWIND_DATABASE_URL"] ?? DatabaseSettings.embeddedURL()
        let connection = try PGConnection(url: url)
        defer { connection.close() }
        var verifier = HashChain.Verifier()
        while true {
            let page = try connection.execute("""
                SELECT sequence, client_order_id, event_number, content, previous_hash, hash
                FROM execution_engine.order_audit_trail WHERE sequence >= $1 ORDER BY sequence LIMIT $2
                """, [.int(verifier.nextSequence), .int(Int64(Self.pageSize))])
            for index in 0..<page.rowCount {
                let row = HashChain.Row(
                    sequence: try page.int64(index, "sequence") ?? -1,
                    content: Array((try page.string(index, "content") ?? "").utf8),
                    previousHash: try page.bytes(index, "previous_hash") ?? [],
                    hash: try page.bytes(index, "hash") ?? [])
                if let problem = verifier.check(row) {
                    let order = try page.string(index, "client_order_id") ?? "?"
                    let event = try page.int64(index, "event_number") ?? -1
                    print("BROKEN at sequence \(row.sequence) (order \(order), event \(event)): \(problem)")
                    throw ExitCode(1)
                }
            }
            if page.rowCount < Self.pageSize { break }
        }
        print("verified \(verifier.verifiedRows) audit rows: the chain is intact")
    }
}
