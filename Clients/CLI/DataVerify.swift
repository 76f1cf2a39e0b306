import ArgumentParser
import TradewindData

/// `tradewind data verify DIR`: every block's CRC, every segment's size, record count and SHA-256,
/// every record's kind, instrument and order, and the manifest's counts; exit 0 when all hold.
struct DataVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every checksum and count of a dataset; exit 1 on any problem.")

    @Argument(help: "The dataset directory.")
    var directory: String

    func run() throws {
        try reportingFailures {
            let result = try DatasetVerification(directory: directory)
            for problem in result.problems { print("PROBLEM \(problem)") }
            if let torn = result.tornTail { print("TORN \(torn)") }
            let found = result.found
            let totals = "\(found.events) events (\(found.quote) quotes, \(found.trade) trades, \(found.bookUpdate) book updates, \(found.bar) bars), \(found.records) records in \(result.manifest.segments.count) segment(s)"
            guard result.isOK else {
                print("FAILED: \(result.problems.count) problem(s) in \(directory)")
                throw ExitCode(1)
            }
            if result.manifest.complete {
                print("OK \(directory): \(totals), content hash \(result.manifest.contentHash)")
            } else {
                let dropped = result.droppedRecords > 0 ? "; \(result.droppedRecords) record(s) of an event cut by the tail dropped" : ""
                print("OK (incomplete) \(directory): \(totals) readable up to the last whole block\(dropped)")
            }
        }
    }
}
