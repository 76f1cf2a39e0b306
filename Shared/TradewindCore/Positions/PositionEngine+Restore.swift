extension PositionEngine {
    /// Rebuilds the engine after a restart from what the tracker persisted: a snapshot's positions
    /// and PnL peak, the keys of the fills applied up to that snapshot (so a replayed report still
    /// counts once), then the fill reports applied after it, re-applied in their original order.
    /// Returns the engine and the reports it refused again (empty unless the stored data is bad).
    public static func restored(
        snapshot positions: [Position], peakTotalPnl: Money, seenFillKeys: Set<String>,
        replaying reports: [ExecutionReport]
    ) -> (engine: PositionEngine, refused: [PositionOutput]) {
        var engine = PositionEngine(positions: positions, seenFillKeys: seenFillKeys, peakTotalPnl: peakTotalPnl)
        var refused: [PositionOutput] = []
        for report in reports {
            for output in engine.apply(.executionReport(report)) {
                if case .fillRefused = output { refused.append(output) }
            }
        }
        return (engine, refused)
    }
}
