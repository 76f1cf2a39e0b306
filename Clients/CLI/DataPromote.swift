import ArgumentParser
import TradewindData

/// `tradewind data promote DIR`: validates the dataset and moves it into the data root's
/// `canonical/` (passed: exit 0) or `quarantine/` (failed: exit 1), its report as `validation.json`.
struct DataPromote: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Validate a dataset and move it into <data root>/canonical, or into quarantine with its report.",
        discussion: """
            The data root is --data-root, else the configuration's data.root ($TRADEWIND_DATA_ROOT \
            overrides it). The dataset keeps its folder name. Exit code 0 when promoted, 1 when \
            quarantined, 2 on bad input (nothing moved).
            """)

    @Argument(help: "The dataset directory.")
    var directory: String

    @Option(help: "The data root (default: the configuration's data.root).")
    var dataRoot: String?

    @OptionGroup var suite: SuiteOptions

    @Option(help: "Longest silence of one instrument, in ms, before time_gap fires; 0 turns the check off.")
    var maxGapMs: Int64 = 60_000

    func validate() throws {
        guard maxGapMs >= 0 else { throw ValidationError("--max-gap-ms must be at least 0") }
    }

    func run() throws {
        try reportingErrors {
            let root = try dataRoot.map { DataRoot(path: $0) } ?? suite.dataRoot()
            let report = try DataValidate.validation(directory: directory, maxGapMs: maxGapMs, examples: 10)
            print(DataValidate.summary(report))
            let outcome: DatasetPromotion.Outcome
            do {
                outcome = try DatasetPromotion.move(directory: directory, report: report, root: root)
            } catch {
                throw CLIError("\(error)", exitCode: 2)
            }
            switch outcome {
            case .promoted(let path):
                print("promoted to \(path)")
            case .quarantined(let path):
                print("quarantined in \(path) (report: \(path)/\(ValidationReport.fileName))")
                throw ExitCode(1)
            }
        }
    }
}
