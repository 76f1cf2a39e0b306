import Foundation
import TradewindCore
import TradewindDaemonKit
import TradewindData

/// One backtest: the suite's machines (`RuntimeAssembly`) over a dataset's events, writing the run
/// directory (outputs, statistics, manifest). Pure computation plus file writes; no bus, no clock.
struct BacktestRun {
    let assembly: RuntimeAssembly
    let configuration: SuiteConfiguration
    let dataset: DatasetReader
    let directory: URL
    let name: String

    /// What a finished run reports.
    struct Outcome {
        var statistics: BacktestStatistics
        var outputHash: String
        var events: Int
        var wallSeconds: Double
    }

    /// Session of the ids when the configuration names none: fixed, so the same inputs give the same outputs.
    static let defaultSession = "bt"

    func run(progress: ProgressBar?) throws -> Outcome {
        var runtime: CoreRuntime
        do {
            runtime = try assembly.makeRuntime()
        } catch {
            throw CLIError("configuration: \(error)")
        }
        let settings = assembly.backtest
        let writer = try RunWriter(directory: directory, initialCapital: settings.initialCapital, sampleIntervalNs: settings.sampleIntervalNs)
        var statistics = BacktestStatistics(initialCapital: settings.initialCapital, returnsIntervalNs: settings.returnsIntervalNs)
        var cursor = try dataset.events()
        var step = CoreRuntime.Step()
        var events = 0
        let started = ContinuousClock.now
        while let event = try cursor.next() {
            runtime.step(event, into: &step)
            writer.record(step, runtime: runtime)
            statistics.record(step, portfolio: runtime.positions.engine.portfolio,
                              anyPosition: runtime.positions.engine.positions.values.contains { !$0.isFlat })
            events += 1
            if events & 0xFFFF == 0 { progress?.update(done: events) }
        }
        progress?.finish(done: events)
        let elapsed = ContinuousClock.now - started
        let wallSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var hashes = try writer.finish()
        let statisticsJSON = BacktestReportFiles.statisticsJSON(statistics)
        hashes["statistics.json"] = try BacktestReportFiles.write(statisticsJSON, to: directory.appendingPathComponent("statistics.json"))
        // the output hash covers every output file by name, in a fixed order; never wall time
        let outputHash = BacktestReportFiles.sha256(
            (RunWriter.outputFiles + ["statistics.json"]).map { "\($0) \(hashes[$0] ?? "")\n" }.joined())
        let manifest = BacktestReportFiles.manifestJSON(
            name: name, dataset: dataset, datasetPath: dataset.directory, configuration: configuration,
            outputHash: outputHash, statistics: statisticsJSON, events: events, wallSeconds: wallSeconds)
        _ = try BacktestReportFiles.write(manifest, to: directory.appendingPathComponent("manifest.json"))
        return Outcome(statistics: statistics, outputHash: outputHash, events: events, wallSeconds: wallSeconds)
    }
}
