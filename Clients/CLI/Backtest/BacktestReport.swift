import Foundation

/// Draws a run's report (PNG plots and one offline HTML page) with the project's Python tools:
/// `scripts/backtest_report.py` run by the project's virtualenv (`make venv`).
enum BacktestReport {
    static func draw(runDirectory: URL) throws {
        guard let root = repositoryRoot() else {
            throw CLIError("cannot find scripts/backtest_report.py (run from the repository, or set TRADEWIND_ROOT)")
        }
        let venv = root.appendingPathComponent(".venv/bin/python")
        let python = FileManager.default.isExecutableFile(atPath: venv.path) ? venv.path : "/usr/bin/python3"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.appendingPathComponent("scripts/backtest_report.py").path, runDirectory.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIError("the report failed (exit \(process.terminationStatus)); `make venv` installs what it needs, --no-report skips it")
        }
    }

    /// `$TRADEWIND_ROOT`, else the working directory or the executable's, searched upwards for the script.
    private static func repositoryRoot() -> URL? {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [URL] = []
        if let root = environment["TRADEWIND_ROOT"], !root.isEmpty { candidates.append(URL(fileURLWithPath: root)) }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath().deletingLastPathComponent())
        for start in candidates {
            var directory = start
            for _ in 0..<8 {
                if FileManager.default.fileExists(atPath: directory.appendingPathComponent("scripts/backtest_report.py").path) {
                    return directory
                }
                directory.deleteLastPathComponent()
            }
        }
        return nil
    }
}
