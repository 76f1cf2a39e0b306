import ArgumentParser
import Foundation
import TradewindData

/// `tradewind data validate DIR`: the checks of `DatasetValidator` over every record, a summary on
/// stdout and, with --report, the JSON report; exit 0 pass, 1 fail, 2 bad input.
struct DataValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a dataset's market data: time order, book sequence, crossed books and quotes, prices, trade ids, gaps.",
        discussion: """
            Checks, per instrument: monotonic time per stream kind, book update numbers without gaps \
            (snapshots after the first are counted as resyncs), crossed or locked books and quotes, \
            zero or negative prices and sizes (size 0 only as a level removal in a delta), duplicate \
            trade ids, and silences longer than --max-gap-ms. Exit code 0 when every check is quiet, \
            1 when one fires, 2 when the dataset cannot be opened.
            """)

    @Argument(help: "The dataset directory.")
    var directory: String

    @Option(help: "Longest silence of one instrument, in ms, before time_gap fires; 0 turns the check off.")
    var maxGapMs: Int64 = 60_000

    @Option(help: "Also write the JSON report to this file.")
    var report: String?

    @Option(help: "Examples kept per check in the report.")
    var examples = 10

    func validate() throws {
        guard maxGapMs >= 0 else { throw ValidationError("--max-gap-ms must be at least 0") }
        guard examples >= 0 else { throw ValidationError("--examples must be at least 0") }
    }

    func run() throws {
        try reportingErrors {
            let result = try Self.validation(directory: directory, maxGapMs: maxGapMs, examples: examples)
            if let report {
                do {
                    try result.json().write(to: URL(fileURLWithPath: report), options: .atomic)
                } catch {
                    throw CLIError("--report \(report): \(error.localizedDescription)", exitCode: 2)
                }
            }
            print(Self.summary(result))
            if !result.passed { throw ExitCode(1) }
        }
    }

    /// The report for `directory`; a dataset that cannot be opened is bad input (exit 2).
    static func validation(directory: String, maxGapMs: Int64, examples: Int) throws -> ValidationReport {
        do {
            return try DatasetValidation.run(
                directory: directory, options: DatasetValidator.Options(maxGapNs: maxGapMs * 1_000_000, examples: examples))
        } catch {
            throw CLIError("\(error)", exitCode: 2)
        }
    }

    /// "PASS dir: …" or "FAIL dir: …", then one line per check with its count and, when it fired,
    /// its first example.
    static func summary(_ report: ValidationReport) -> String {
        let books = report.books
        var lines = [
            "\(report.passed ? "PASS" : "FAIL") \(report.dataset): \(report.records) records, \(report.failures.count) of \(ValidationCheck.allCases.count) checks failed; "
                + "\(books.updates) book updates, \(books.snapshots) snapshots, \(books.resyncs) resyncs"
        ]
        for check in ValidationCheck.allCases {
            let finding = report.checks[check.rawValue] ?? ValidationReport.Finding()
            var line = "  \(check.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(finding.count)"
            if let first = finding.examples.first {
                let instrument = first.instrument.isEmpty ? "" : " \(first.instrument)"
                line += "  first: record \(first.record) at \(UTCTime.text(first.timeNs))\(instrument): \(first.detail)"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
