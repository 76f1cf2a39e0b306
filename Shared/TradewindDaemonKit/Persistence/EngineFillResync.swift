import TradewindBus
import TradewindCore

/// A host's re-syncs of fills lost on the bus, read back from the execution engine's table: when to
/// start one (at start-up, after the engine restarted or a gap in its reports), how many reads are
/// still to come, and telling the bus when the last one is applied (its /ready check passes again).
/// Used on the bus thread only.
public final class EngineFillResync: @unchecked Sendable {
    /// Reads scheduled and not yet applied.
    public private(set) var readsPending = 0
    private var reader: FillResync?

    public init() {}

    /// The reader that runs the reads (set once the bus loop exists).
    public func attach(_ reader: FillResync) {
        self.reader = reader
    }

    /// Starts a re-sync of the fills at or after `sinceNs` less a margin for reports in flight.
    public func start(afterFillAt sinceNs: Int64) {
        guard let reader else { return }
        readsPending += FillResync.delays.count
        reader.schedule(sinceNs: sinceNs - EngineFillSource.marginNs)
    }

    /// For `sequenceGap` and `publisherRestarted`: lost reports of the engine are re-read, anything
    /// else lost (quotes) is replaced by what comes next.
    public func afterLoss(from publisher: String, lastFillAt sinceNs: Int64) -> GapRecovery {
        guard publisher == SuiteServices.executionEngine.name else { return .notNeeded }
        start(afterFillAt: sinceNs)
        return .resyncing
    }

    /// Call once a read's fills are applied.
    public func readApplied(context: BusLoopContext) {
        readsPending -= 1
        if readsPending == 0 { context.resyncFinished(from: SuiteServices.executionEngine.name) }
    }
}
