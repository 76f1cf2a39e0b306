import Foundation
import TradewindCore
import TradewindStore

/// What the position tracker restores before it reports ready: the latest snapshot plus every fill
/// applied after it, re-applied through the position engine in their original order; the fill keys
/// (so a fill seen again is not counted twice), the applied-fill sequence, and daily PnL.
struct PositionTrackerRecovery {
    var engine = PositionEngine()
    var appliedSeq: Int64 = 0
    var daily = DailyPnlBook()
    /// The snapshot restored from (nil when there was none).
    var snapshotSeq: Int64?
    var snapshotTimeNs: Int64?
    /// Fills re-applied on top of the snapshot.
    var replayedFills = 0
    /// Fills the engine refused on replay (only bad stored data can cause one).
    var refused: [PositionOutput] = []
    /// Instruments whose restored quantity or fill count differs from the sum of `fills_applied`.
    var mismatches: [String] = []

    enum Failure: Error, CustomStringConvertible {
        case unreadable(table: String, key: String, reason: String)

        var description: String {
            switch self {
            case .unreadable(let table, let key, let reason): "\(table) row \(key) cannot be restored: \(reason)"
            }
        }
    }

    static func load(_ connection: PGConnection) throws -> PositionTrackerRecovery {
        var recovery = PositionTrackerRecovery()
        let decoder = JSONDecoder()
        var positions: [Position] = []
        var peak = Money.zero
        let snapshot = try connection.execute("""
            SELECT snapshot_time_ns, applied_seq, positions, portfolio FROM position_tracker.position_snapshots
            ORDER BY applied_seq DESC, snapshot_time_ns DESC LIMIT 1
            """)
        if snapshot.rowCount == 1, let seq = try snapshot.int64(0, "applied_seq"), let time = try snapshot.int64(0, "snapshot_time_ns") {
            do {
                positions = try decoder.decode([Position].self, from: Data((try snapshot.string(0, "positions") ?? "").utf8))
                peak = try decoder.decode(PortfolioPnl.self, from: Data((try snapshot.string(0, "portfolio") ?? "").utf8)).peakTotalPnl
            } catch {
                throw Failure.unreadable(table: "position_snapshots", key: "\(time)", reason: "\(error)")
            }
            recovery.snapshotSeq = seq
            recovery.snapshotTimeNs = time
        }
        let snapshotSeq = recovery.snapshotSeq ?? 0

        let keys = try connection.execute(
            "SELECT fill_key FROM position_tracker.fills_applied WHERE applied_seq <= $1 ORDER BY applied_seq DESC LIMIT $2",
            [.int(snapshotSeq), .int(Int64(DedupeMemory.capacity))])
        var seenFillKeys = Set<String>(minimumCapacity: keys.rowCount)
        for row in 0..<keys.rowCount {
            if let key = try keys.string(row, "fill_key") { seenFillKeys.insert(key) }
        }

        let later = try connection.execute(
            "SELECT fill_key, applied_seq, report FROM position_tracker.fills_applied WHERE applied_seq > $1 ORDER BY applied_seq",
            [.int(snapshotSeq)])
        var reports: [ExecutionReport] = []
        reports.reserveCapacity(later.rowCount)
        for row in 0..<later.rowCount {
            let key = try later.string(row, "fill_key") ?? ""
            do {
                reports.append(try decoder.decode(ExecutionReport.self, from: Data((try later.string(row, "report") ?? "").utf8)))
            } catch {
                throw Failure.unreadable(table: "fills_applied", key: key, reason: "\(error)")
            }
        }
        let restored = PositionEngine.restored(snapshot: positions, peakTotalPnl: peak, seenFillKeys: seenFillKeys, replaying: reports)
        recovery.engine = restored.engine
        recovery.refused = restored.refused
        recovery.replayedFills = reports.count

        let last = try connection.execute(
            "SELECT coalesce(max(applied_seq), 0) AS seq FROM position_tracker.fills_applied")
        recovery.appliedSeq = max(try last.int64(0, "seq") ?? 0, snapshotSeq)
        recovery.daily = try loadDaily(connection)
        recovery.mismatches = try verify(recovery.engine, connection)
        return recovery
    }

    /// Daily totals recomputed from the fills themselves, so a `daily_pnl` upsert lost in a crash
    /// is repaired when the restored rows are written back.
    private static func loadDaily(_ connection: PGConnection) throws -> DailyPnlBook {
        let rows = try connection.execute("""
            SELECT day::text AS day, sum(realized_pnl)::text AS realized, sum(fee)::text AS fees, count(*) AS fills
            FROM position_tracker.fills_applied GROUP BY day
            """)
        var days: [DailyPnl] = []
        for row in 0..<rows.rowCount {
            let text = try rows.string(row, "day") ?? ""
            guard let day = UTCDay(iso: text),
                  let realized = Money(try rows.string(row, "realized") ?? ""),
                  let fees = Money(try rows.string(row, "fees") ?? ""),
                  let fills = try rows.int64(row, "fills")
            else { throw Failure.unreadable(table: "fills_applied", key: "day \(text)", reason: "daily sums out of range") }
            days.append(DailyPnl(day: day, realizedPnl: realized, fees: fees, fillCount: Int(fills)))
        }
        return DailyPnlBook(days)
    }

    /// Instruments whose restored position disagrees with the signed sum and count of their
    /// persisted fills: positions must equal the sum of fills, whatever snapshot they came from.
    private static func verify(_ engine: PositionEngine, _ connection: PGConnection) throws -> [String] {
        let rows = try connection.execute("""
            SELECT instrument, sum(CASE side WHEN 'buy' THEN quantity ELSE -quantity END)::text AS net, count(*) AS fills
            FROM position_tracker.fills_applied GROUP BY instrument
            """)
        var persisted: [String: (net: Quantity?, fills: Int64)] = [:]
        for row in 0..<rows.rowCount {
            guard let instrument = try rows.string(row, "instrument") else { continue }
            persisted[instrument] = (Quantity(try rows.string(row, "net") ?? ""), try rows.int64(row, "fills") ?? 0)
        }
        let restored = Dictionary(engine.positions.map { ($0.key.description, $0.value) }, uniquingKeysWith: { first, _ in first })
        return Set(persisted.keys).union(restored.keys).sorted().filter { instrument in
            let position = restored[instrument]
            let sums = persisted[instrument]
            return (position?.quantity ?? .zero) != (sums?.net ?? .zero) || Int64(position?.fillCount ?? 0) != (sums?.fills ?? 0)
        }
    }
}
