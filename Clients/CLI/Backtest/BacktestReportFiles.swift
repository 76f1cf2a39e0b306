import Crypto
import Foundation
import TradewindCore
import TradewindDaemonKit
import TradewindData

/// The run directory's JSON files (statistics and manifest), written by hand in a fixed key order
/// so their bytes, and the output hash over them, never depend on a dictionary's order.
enum BacktestReportFiles {
    static func statisticsJSON(_ statistics: BacktestStatistics) -> String {
        func number(_ value: Double?) -> String {
            guard let value, value.isFinite else { return "null" }
            return "\(value)"
        }
        func text(_ value: some CustomStringConvertible) -> String { JSONEscaping.quoted("\(value)") }
        let reasons = statistics.denialsByReason.keys.sorted()
            .map { "\(JSONEscaping.quoted($0)): \(statistics.denialsByReason[$0] ?? 0)" }.joined(separator: ", ")
        return """
            {
              "initial_capital": \(text(statistics.initialCapital)),
              "final_equity": \(text(statistics.finalEquity)),
              "total_return": \(text(String(statistics.totalReturn))),
              "sharpe": \(number(statistics.sharpe)),
              "sortino": \(number(statistics.sortino)),
              "sampling": \(JSONEscaping.quoted(statistics.samplingNote)),
              "max_drawdown": \(text(statistics.maxDrawdown)),
              "max_drawdown_fraction": \(text(String(statistics.maxDrawdownFraction))),
              "max_drawdown_duration_ns": \(statistics.maxDrawdownDurationNs),
              "trades": \(statistics.fills),
              "orders": \(statistics.orders),
              "round_trips": \(statistics.roundTrips),
              "win_rate": \(number(statistics.winRate)),
              "turnover": \(text(statistics.turnover)),
              "fees": \(text(statistics.fees)),
              "time_in_market": \(number(statistics.timeInMarket)),
              "denials": \(statistics.denials),
              "denials_by_reason": {\(reasons)}
            }

            """
    }

    static func manifestJSON(
        name: String, dataset: DatasetReader, datasetPath: String, configuration: SuiteConfiguration, outputHash: String,
        statistics: String, events: Int, wallSeconds: Double
    ) -> String {
        let manifest = dataset.manifest
        let instruments = manifest.instruments.map { JSONEscaping.quoted($0.id) }.joined(separator: ", ")
        let indentedStatistics = statistics.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  ")
        return """
            {
              "format": "tradewind.backtest-run",
              "version": 1,
              "name": \(JSONEscaping.quoted(name)),
              "dataset": {"path": \(JSONEscaping.quoted(datasetPath)), "content_hash": \(JSONEscaping.quoted(manifest.contentHash)), \
            "events": \(manifest.counts.events), "first_ns": \(manifest.timeRange.firstNs), "last_ns": \(manifest.timeRange.lastNs), \
            "instruments": [\(instruments)]},
              "config": \(configuration.jsonText(pretty: false)),
              "code_version": \(JSONEscaping.quoted(TradewindVersion.current)),
              "output_hash": \(JSONEscaping.quoted(outputHash)),
              "statistics": \(indentedStatistics),
              "events": \(events),
              "wall_seconds": \(wallSeconds),
              "events_per_second": \(wallSeconds > 0 ? Double(events) / wallSeconds : 0)
            }

            """
    }

    /// Writes `text` and returns its SHA-256 (hex).
    static func write(_ text: String, to url: URL) throws -> String {
        try Data(text.utf8).write(to: url)
        return sha256(text)
    }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
