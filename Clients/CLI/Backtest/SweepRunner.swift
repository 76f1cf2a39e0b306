import ArgumentParser
import Foundation

/// What a sweep ranks its runs by (best first).
enum SweepRanking: String, ExpressibleByArgument, CaseIterable {
    case totalReturn = "total_return"
    case sharpe, sortino
    case maxDrawdown = "max_drawdown"
    case winRate = "win_rate"

    /// Higher is better, except drawdown.
    var descending: Bool { self != .maxDrawdown }
}

/// Runs every combination of a sweep as its own `tradewind backtest` process, `jobs` at a time,
/// then prints and writes (`sweep.csv`) the runs ranked by one statistic.
struct SweepRunner {
    let inputs: BacktestInputs
    let jobs: Int
    let rankBy: SweepRanking
    let out: String?
    let databaseUrl: String?
    let report: Bool

    private struct Job {
        var name: String
        var combination: [(key: String, value: String)]
        var directory: URL
    }

    func run() throws {
        let root = try inputs.runDirectory(out: out)
        let combinations = BacktestInputs.combinations(inputs.sweeps)
        let jobsToRun = combinations.enumerated().map { index, combination in
            let label = combination.map { "\($0.key.split(separator: ".").last ?? "")=\($0.value)" }.joined(separator: "+")
            let name = String(format: "%03d-", index + 1) + label.replacingOccurrences(of: "/", with: "_")
            return Job(name: name, combination: combination, directory: root.appendingPathComponent(name))
        }
        print("sweep      \(jobsToRun.count) runs, \(min(jobs, jobsToRun.count)) at a time, into \(root.path)")
        var running: [(Job, Process)] = []
        var failed: [String] = []
        var next = 0
        while next < jobsToRun.count || !running.isEmpty {
            while running.count < jobs, next < jobsToRun.count {
                let job = jobsToRun[next]
                running.append((job, try launch(job)))
                next += 1
            }
            let (job, process) = running.removeFirst()
            process.waitUntilExit()
            if process.terminationStatus != 0 { failed.append("\(job.name) (exit \(process.terminationStatus))") }
        }
        guard failed.isEmpty else { throw CLIError("sweep runs failed: \(failed.joined(separator: ", ")); see their run.log") }
        try rank(jobsToRun, root: root)
    }

    private func launch(_ job: Job) throws -> Process {
        try FileManager.default.createDirectory(at: job.directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath()
        var arguments = ["backtest", "--data", inputs.dataset.directory, "--out", job.directory.path, "--name", job.name]
        if let file = inputs.configFile { arguments += ["--config", file] }
        if !report { arguments.append("--no-report") }
        if inputs.allowUnvalidated { arguments.append("--allow-unvalidated") }
        if let databaseUrl { arguments += ["--database-url", databaseUrl] }
        let parameters = "{" + job.combination.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ") + "}"
        arguments += ["--parameters", parameters]
        process.arguments = arguments
        process.environment = BacktestInputs.environment(for: job.combination)
        let log = job.directory.appendingPathComponent("run.log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw CLIError("cannot create \(log.path)") }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    private func rank(_ jobs: [Job], root: URL) throws {
        struct Row { var job: Job; var statistics: [String: Any] }
        var rows: [Row] = []
        for job in jobs {
            let data = try Data(contentsOf: job.directory.appendingPathComponent("statistics.json"))
            guard let statistics = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw CLIError("\(job.name): statistics.json is not an object")
            }
            rows.append(Row(job: job, statistics: statistics))
        }
        func value(_ row: Row) -> Double {
            let raw = row.statistics[rankBy.rawValue]
            if let number = raw as? Double { return number }
            if let text = raw as? String, let number = Double(text) { return number }
            return rankBy.descending ? -.infinity : .infinity
        }
        rows.sort { lhs, rhs in
            let (a, b) = (value(lhs), value(rhs))
            return a == b ? lhs.job.name < rhs.job.name : (rankBy.descending ? a > b : a < b)
        }
        let columns = ["total_return", "sharpe", "sortino", "max_drawdown", "win_rate", "trades", "fees"]
        let keys = inputs.sweeps.map(\.key)
        var csv = (["rank", "run"] + keys + columns).joined(separator: ",") + "\n"
        print("\nranked by \(rankBy.rawValue):")
        print((["#", "run"] + columns).map { $0.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined())
        for (index, row) in rows.enumerated() {
            let cells = columns.map { key -> String in
                switch row.statistics[key] {
                case let number as Double: return String(format: "%.6g", number)
                case let text as String: return text
                case let number as Int: return "\(number)"
                default: return ""
                }
            }
            csv += (["\(index + 1)", row.job.name] + row.job.combination.map(\.value) + cells).joined(separator: ",") + "\n"
            print(([String(index + 1), row.job.name] + cells).map { $0.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined())
        }
        try Data(csv.utf8).write(to: root.appendingPathComponent("sweep.csv"))
        print("\ntable      \(root.appendingPathComponent("sweep.csv").path)")
    }
}
