import ArgumentParser
import Foundation
import TradewindDaemonKit
import TradewindStore

/// `tradewind audit verify`: walks the hash chain of `execution_engine.order_audit_trail` in
/// sequence order and reports the first broken link (changed content, a removed or reordered row).
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
        var expectedSequence: Int64 = 1
        var previous = HashChain.genesis
        while true {
            let page = try connection.execute("""
                SELECT sequence, client_order_id, event_number, content, previous_hash, hash
                FROM execution_engine.order_audit_trail WHERE sequence >= $1 ORDER BY sequence LIMIT $2
                """, [.int(expectedSequence), .int(Int64(Self.pageSize))])
            for row in 0..<page.rowCount {
                let sequence = try page.int64(row, "sequence") ?? -1
                let order = try page.string(row, "client_order_id") ?? "?"
                let event = try page.int64(row, "event_number") ?? -1
                let content = Array((try page.string(row, "content") ?? "").utf8)
                let storedPrevious = try page.bytes(row, "previous_hash") ?? []
                let stored = try page.bytes(row, "hash") ?? []
                let problem: String?
                if sequence != expectedSequence {
                    problem = "sequence jumps from \(expectedSequence - 1) to \(sequence): rows were removed"
                } else if storedPrevious != previous {
                    problem = "previous_hash does not match the hash of row \(sequence - 1)"
                } else if HashChain.link(previousHash: previous, content: content) != stored {
                    problem = "content does not match its hash: the row was changed"
                } else {
                    problem = nil
                }
                if let problem {
                    print("BROKEN at sequence \(sequence) (order \(order), event \(event)): \(problem)")
                    throw ExitCode(1)
                }
                previous = stored
                expectedSequence += 1
            }
            if page.rowCount < Self.pageSize { break }
        }
        print("verified \(expectedSequence - 1) audit rows: the chain is intact")
    }
}
