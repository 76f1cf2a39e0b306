import ArgumentParser
import Foundation
import TradewindCore
import TradewindDaemonKit
import TradewindData

/// `tradewind backtest`: the suite's configuration over a dataset, in one process.
struct Backtest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the suite's strategy, risk, OMS and simulated venue over a dataset.",
        discussion: """
            Reads the same configuration file as the daemons. Writes a run directory (orders, fills, \
            positions, equity, statistics, a manifest with the output hash, and a report: PNG plots and \
            one offline HTML page) under <data root>/experiments/. The same dataset and configuration \
            give the same output hash. --sweep runs every combination of the values given in parallel \
            processes and ranks them. Bad input stops with exit code 2 before anything is written, and so \
            does a dataset in the data root's quarantine/ or with a failing validation.json unless \
            --allow-unvalidated is given.
            """)

    @Option(help: "The dataset directory (a canonical dataset, see docs/DATASETS.md).")
    var data: String

    @OptionGroup var suite: SuiteOptions

    @Option(help: "The run directory (default: <data root>/experiments/<name>).")
    var out: String?

    @Option(help: "The run's name (default: the dataset's folder name and a hash of the configuration).")
    var name: String?

    @Option(help: "section.key=v1,v2,… to sweep (repeatable): every combination runs.")
    var sweep: [String] = []

    @Option(help: "Sweep runs at a time (default: the processor count).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "The statistic a sweep is ranked by: total_return, sharpe, sortino, max_drawdown, win_rate.")
    var rankBy: SweepRanking = .totalReturn

    @Flag(help: "Skip the report (plots and HTML).")
    var noReport = false

    @Flag(help: "Read the dataset even when it lies in the data root's quarantine/ or carries a failing validation report.")
    var allowUnvalidated = false

    @Option(help: "Also record the run in PostgreSQL's research schema (default: $TRADEWIND_DATABASE_URL if set).")
    var databaseUrl: String?

    @Option(help: .hidden)
    var parameters: String?

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        try reportingErrors(runBacktest)
    }

    private func runBacktest() throws {
        let prepared = try BacktestInputs.prepare(
            data: data, configFile: suite.configFile(), name: name, sweeps: sweep, allowUnvalidated: allowUnvalidated)
        if !prepared.sweeps.isEmpty {
            try SweepRunner(inputs: prepared, jobs: jobs, rankBy: rankBy, out: out, databaseUrl: databaseUrl, report: !noReport).run()
            return
        }
        let directory = try prepared.runDirectory(out: out)
        let bar = ProgressBar(total: Int(prepared.dataset.manifest.counts.events), label: "backtest")
        let outcome = try BacktestRun(
            assembly: prepared.assembly, configuration: prepared.configuration, dataset: prepared.dataset,
            directory: directory, name: prepared.name
        ).run(progress: bar)
        let statistics = outcome.statistics
        print("run        \(directory.path)")
        print("events     \(outcome.events) in \(String(format: "%.2f", outcome.wallSeconds)) s (\(String(format: "%.0f", Double(outcome.events) / max(outcome.wallSeconds, 1e-9))) events/s)")
        print("return     \(String(format: "%.4f%%", statistics.totalReturn * 100))  final equity \(statistics.finalEquity)")
        print("sharpe     \(statistics.sharpe.map { String(format: "%.3f", $0) } ?? "n/a")  sortino \(statistics.sortino.map { String(format: "%.3f", $0) } ?? "n/a")")
        print("drawdown   \(statistics.maxDrawdown) (\(String(format: "%.4f%%", statistics.maxDrawdownFraction * 100)))")
        print("trades     \(statistics.fills) fills, \(statistics.orders) orders, \(statistics.roundTrips) round trips, win rate \(statistics.winRate.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a")")
        print("fees       \(statistics.fees)  denials \(statistics.denials)")
        print("memory     peak RSS \(PeakMemory.megabytes().map { String(format: "%.1f MB", $0) } ?? "unknown")")
        print("output     \(outcome.outputHash)")
        if let url = databaseUrl ?? ProcessInfo.processInfo.environment["TRADEWIND_DATABASE_URL"], !url.isEmpty {
            try ResearchStore(url: url).record(directory: directory, parameters: parameters ?? "{}")
            print("research   recorded in research.backtest_runs")
        }
        if !noReport {
            try BacktestReport.draw(runDirectory: directory)
            print("report     \(directory.appendingPathComponent("report/index.html").path)")
        }
    }
}
