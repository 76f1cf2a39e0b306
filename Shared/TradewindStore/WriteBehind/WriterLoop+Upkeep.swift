import Logging

/// The writer thread's housekeeping between batches: group fsyncs of the journal, segment
/// rotation, gauges, and the way out.
extension WriterLoop {
    func syncIfDue() {
        let now = MonotonicClock.now()
        let target = shared.withLock { state -> UInt64? in
            guard state.enqueued > state.synced else { return nil }
            let due = (state.firstUnsyncedAt ?? now) + fsyncInterval
            return state.enqueued - state.synced >= UInt64(configuration.fsyncEvery) || now >= due ? state.enqueued : nil
        }
        guard let target else { return }
        do {
            try journal.sync()
        } catch {
            logger.error("journal fdatasync failed", metadata: ["error": "\(error)"])
            shared.withLock { $0.stats.lastError = "journal sync: \(error)" }
        }
        shared.withLock { state in
            state.synced = max(state.synced, target)
            state.firstUnsyncedAt = state.enqueued > state.synced ? MonotonicClock.now() : nil
        }
    }

    func rotateIfNeeded() {
        do {
            let previous = try shared.withLock { (_: inout WriterState) throws(StoreError) -> Int32? in
                journal.end.offset >= UInt64(configuration.segmentBytes) ? try journal.rotate() : nil
            }
            guard let previous else { return }
            journal.retire(previous)
            saveCheckpoint(journal.checkpoint)
        } catch {
            logger.error("journal rotation failed", metadata: ["error": "\(error)"])
        }
    }

    func publishGauges() {
        let stats = shared.withLock { $0.snapshot() }
        writer.metrics.queueDepth.record(Int64(clamping: stats.pendingRecords))
        writer.metrics.spoolBytes.record(Int64(clamping: stats.journalBytesPending))
        writer.metrics.reachable.record(stats.databaseReachable ? 1 : 0)
    }

    func exit(cleanly: Bool) {
        if cleanly {
            try? journal.sync()
        }
        connection?.close()
        connection = nil
        // Enqueuers see `.stopping` and no longer append, so the journal can close first: a
        // caller waiting for `.stopped` may reopen the directory at once.
        journal.close()
        shared.withLock { state in
            state.phase = .stopped
            state.journal = nil
            state.stats.databaseReachable = false
            state.queue = []
        }
        shared.broadcast()
        logger.info(cleanly ? "write-behind writer stopped" : "write-behind writer abandoned (test crash)")
    }
}
