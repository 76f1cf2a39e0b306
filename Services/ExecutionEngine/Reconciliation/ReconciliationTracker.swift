import Synchronization
import TradewindCore
import TradewindStore

/// The engine's reconciliation history, shared between the bus thread (which runs reconciliations)
/// and HTTP (`GET /v1/reconciliation`, and `/ready`, which waits for the start-up run).
final class ReconciliationTracker: Sendable {
    typealias Trigger = VenueReconciliation.Trigger

    /// One reconciliation run, as served and persisted.
    struct Run: Sendable, Encodable {
        var runId: Int64
        var trigger: Trigger
        var venue: String
        var status: String
        var startedNs: Int64
        var finishedNs: Int64
        var engineOpenOrders: Int
        var venueOpenOrders: Int
        var venueTrades: Int
        var balancesChecked: Bool
        var differences: [Difference]
        var error: String?

        enum CodingKeys: String, CodingKey {
            case trigger, venue, status, differences, error
            case runId = "run_id"
            case startedNs = "started_ns"
            case finishedNs = "finished_ns"
            case engineOpenOrders = "engine_open_orders"
            case venueOpenOrders = "venue_open_orders"
            case venueTrades = "venue_trades"
            case balancesChecked = "balances_checked"
        }
    }

    /// One difference, as served (snake_case) and persisted.
    struct Difference: Sendable, Encodable {
        var kind: String
        var instrument: String?
        var clientOrderId: String?
        var venueOrderId: String?
        var detail: String
        var action: String

        init(_ difference: ReconciliationDifference) {
            kind = difference.kind.rawValue
            instrument = difference.instrument?.description
            clientOrderId = difference.clientOrderId
            venueOrderId = difference.venueOrderId
            detail = difference.detail
            action = difference.action.rawValue
        }

        enum CodingKeys: String, CodingKey {
            case kind, instrument, detail, action
            case clientOrderId = "client_order_id"
            case venueOrderId = "venue_order_id"
        }
    }

    /// `GET /v1/reconciliation`.
    struct View: Sendable, Encodable {
        var startupComplete = false
        var lastSuccessNs: Int64?
        var totals: [String: Int] = [:]
        /// Newest first.
        var runs: [Run] = []

        enum CodingKeys: String, CodingKey {
            case totals, runs
            case startupComplete = "startup_complete"
            case lastSuccessNs = "last_success_ns"
        }
    }

    static let retainedRuns = 20

    private let state: Mutex<View>

    init(lastSuccessNs: Int64?) {
        state = Mutex(View(lastSuccessNs: lastSuccessNs))
    }

    var view: View { state.withLock { $0 } }

    func finished(
        trigger: Trigger, venue: String, startedNs: Int64, finishedNs: Int64, engineOpenOrders: Int, venueOpenOrders: Int,
        venueTrades: Int, balancesChecked: Bool, differences: [ReconciliationDifference]
    ) -> Run {
        let run = Run(
            runId: startedNs, trigger: trigger, venue: venue, status: differences.isEmpty ? "ok" : "differences",
            startedNs: startedNs, finishedNs: finishedNs, engineOpenOrders: engineOpenOrders, venueOpenOrders: venueOpenOrders,
            venueTrades: venueTrades, balancesChecked: balancesChecked, differences: differences.map(Difference.init), error: nil)
        record(run, success: true)
        return run
    }

    func failed(trigger: Trigger, venue: String, startedNs: Int64, finishedNs: Int64, error: VenueError) -> Run {
        let run = Run(
            runId: startedNs, trigger: trigger, venue: venue, status: "failed", startedNs: startedNs, finishedNs: finishedNs,
            engineOpenOrders: 0, venueOpenOrders: 0, venueTrades: 0, balancesChecked: false, differences: [], error: "\(error)")
        record(run, success: false)
        return run
    }

    private func record(_ run: Run, success: Bool) {
        state.withLock { view in
            view.runs.insert(run, at: 0)
            if view.runs.count > Self.retainedRuns { view.runs.removeLast() }
            for difference in run.differences { view.totals[difference.kind, default: 0] += 1 }
            if success {
                view.startupComplete = true
                view.lastSuccessNs = run.startedNs
            }
        }
    }

    /// The readiness check: ready once the start-up reconciliation succeeded.
    func readiness() -> (Bool, String) {
        state.withLock { view in
            if view.startupComplete { return (true, "done, \(view.runs.first?.differences.count ?? 0) differences in the last run") }
            if let last = view.runs.first { return (false, "start-up reconciliation failed: \(last.error ?? "")") }
            return (false, "start-up reconciliation pending")
        }
    }
}

/// Rows for the reconciliation tables: the run and each difference, written together.
enum ReconciliationRecords {
    static func run(_ run: ReconciliationTracker.Run) -> [PersistedRecord] {
        let header = PersistedRecord(
            table: "execution_engine.reconciliations",
            columns: [
                "run_id", "trigger", "venue", "started_ns", "finished_ns", "status", "engine_open_orders",
                "venue_open_orders", "venue_trades", "differences", "error",
            ],
            values: [
                .int(run.runId), .text(run.trigger.rawValue), .text(run.venue), .int(run.startedNs), .int(run.finishedNs),
                .text(run.status), .int(Int64(run.engineOpenOrders)), .int(Int64(run.venueOpenOrders)),
                .int(Int64(run.venueTrades)), .int(Int64(run.differences.count)), run.error.map(PGValue.text),
            ],
            conflict: .ignore(key: ["run_id"]))
        let rows = run.differences.enumerated().map { ordinal, difference in
            PersistedRecord(
                table: "execution_engine.reconciliation_differences",
                columns: ["run_id", "ordinal", "kind", "instrument", "client_order_id", "venue_order_id", "detail", "action"],
                values: [
                    .int(run.runId), .int(Int64(ordinal)), .text(difference.kind), difference.instrument.map(PGValue.text),
                    difference.clientOrderId.map(PGValue.text), difference.venueOrderId.map(PGValue.text),
                    .text(difference.detail), .text(difference.action),
                ],
                conflict: .ignore(key: ["run_id", "ordinal"]))
        }
        return [header] + rows
    }
}
