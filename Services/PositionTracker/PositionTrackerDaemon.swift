import Logging
import TradewindBus
import TradewindCore
import TradewindDaemonKit
import TradewindStore

@main
enum PositionTrackerDaemon {
    static func main() async {
        let startNs = WallClock.nowNs()
        let context = DaemonStartup.prepare(SuiteServices.positionTracker) {
            (runtime: try RuntimeSettings($0, startNs: startNs), tracker: try PositionTrackerSettings($0))
        }
        let store = context.openStore(schema: PositionTrackerSchema.name, migrations: PositionTrackerSchema.migrations)
        // fills the engine persisted while this tracker was down never reach it on the bus
        let (recovery, lastFillTimeNs, missed) = context.restore(from: store) { connection in
            let recovery = try PositionTrackerRecovery.load(connection)
            let lastFillTimeNs = try EngineFillSource.lastAppliedTime(connection) ?? 0
            return (recovery, lastFillTimeNs, try EngineFillSource.fills(since: lastFillTimeNs - EngineFillSource.marginNs, connection))
        }
        log(recovery, context.logger)
        // write back the rebuilt current-state rows (idempotent upserts), so positions and daily_pnl
        // agree with fills_applied even if an earlier upsert never reached the database
        store.enqueue(contentsOf:
            recovery.engine.sortedPositions.map { PositionTrackerRecords.position($0, appliedSeq: recovery.appliedSeq) }
            + recovery.daily.days.values.sorted { $0.day < $1.day }.map { PositionTrackerRecords.daily($0, appliedSeq: recovery.appliedSeq) })
        let view = StateSnapshot(PositionsView())
        let host = PositionTrackerHost(
            settings: context.settings.tracker, recovery: recovery, missed: missed, lastFillTimeNs: lastFillTimeNs, store: store,
            view: view, lockstep: LockstepDriver(SuiteServices.positionTracker, runtime: context.settings.runtime))
        var daemon = BusDaemon(
            context: context,
            service: SuiteServices.positionTracker,
            tickInterval: .milliseconds(50),
            store: store,
            handler: host)
        daemon.http.addJSONRoute(path: "/v1/positions") { view.read() }
        host.resync.attach(FillResync(url: store.settings.url, loop: daemon.loop, logger: context.logger) { reports, context in
            host.resyncRead(reports, context: context)
        })
        await daemon.run()
    }

    private static func log(_ recovery: PositionTrackerRecovery, _ logger: Logger) {
        let open = recovery.engine.sortedPositions.filter { !$0.isFlat }
        logger.info("state restored", metadata: [
            "snapshot_applied_seq": "\(recovery.snapshotSeq.map(String.init) ?? "none")",
            "snapshot_time_ns": "\(recovery.snapshotTimeNs.map(String.init) ?? "none")",
            "fills_replayed": "\(recovery.replayedFills)",
            "applied_seq": "\(recovery.appliedSeq)",
            "positions": "\(recovery.engine.positions.count)",
            "open_positions": "\(open.map { "\($0.instrument)=\($0.quantity)" }.joined(separator: ","))",
            "peak_total_pnl": "\(recovery.engine.portfolio.peakTotalPnl)",
            "days": "\(recovery.daily.days.count)",
        ])
        for output in recovery.refused {
            if case .fillRefused(let tradeId, let reason) = output {
                logger.error("stored fill refused on replay", metadata: ["trade_id": "\(tradeId)", "reason": "\(reason)"])
            }
        }
        if !recovery.mismatches.isEmpty {
            logger.error("restored positions differ from the sum of persisted fills", metadata: [
                "instruments": "\(recovery.mismatches.joined(separator: ","))",
            ])
        }
    }
}
