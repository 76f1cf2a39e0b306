/// Everything the writer thread shares with enqueuers and flushers, guarded by one lock so the
/// journal order and the queue order are the same order.
struct WriterState {
    enum Phase { case idle, starting, running, stopping, stopped }

    var phase: Phase = .idle
    var journal: WriteBehindJournal?
    /// Journaled records handed to the writer in memory, oldest first.
    var queue: [JournalEntry] = []
    var queueBytes = 0
    var firstQueuedAt: UInt64?
    /// Set when a record could not go into the queue: from here on the writer reads the
    /// journal file (in order) until it catches up with its end.
    var catchUpFrom: JournalPosition?
    /// Records journaled / committed (or skipped) since `start`, replayed ones included.
    var enqueued: UInt64 = 0
    var committed: UInt64 = 0
    var journaledBytes: UInt64 = 0
    var committedBytes: UInt64 = 0
    /// `enqueued` at the last fdatasync, and when the first record after it arrived.
    var synced: UInt64 = 0
    var firstUnsyncedAt: UInt64?
    var flushWaiters = 0
    var crashRequested = false
    var checkpointsDisabled = false
    var stats = WriteBehindStats()

    func snapshot() -> WriteBehindStats {
        var snapshot = stats
        snapshot.queueDepth = queue.count
        snapshot.pendingRecords = enqueued - committed
        snapshot.journalBytesPending = journaledBytes - committedBytes
        snapshot.running = phase == .running
        return snapshot
    }
}
