import Foundation
import Logging

/// The no-loss write-behind path from a daemon's hot path to PostgreSQL. `enqueue` appends the
/// record to a local journal with write(2) and hands it to a writer thread through a bounded
/// queue; it never waits for the database. The writer thread batches records into idempotent
/// transactions, advances a checkpoint, fsyncs the journal in groups, retries with backoff
/// while the database is away, and on `start` replays whatever a crash left after the checkpoint.
/// Call `stop` before dropping it: the thread holds the writer until it stops.
public final class WriteBehindWriter: Sendable {
    public let configuration: WriteBehindConfiguration
    let logger: Logger
    let shared = ConditionLock(WriterState())
    let metrics: WriteBehindMetrics

    /// Creates a writer; nothing opens until `start()`.
    public init(configuration: WriteBehindConfiguration, logger: Logger) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "store"] = "\(configuration.name)"
        self.logger = logger
        self.metrics = WriteBehindMetrics(store: configuration.name)
    }

    /// Opens and locks the journal, validates it after the checkpoint (torn tails are logged,
    /// counted and ignored) and starts the writer thread, which replays that backlog first.
    /// Call `flush(timeout:)` afterwards to wait until the replay is committed. Once only.
    public func start() throws(StoreError) {
        try configuration.validate()
        try shared.withLock { (state: inout WriterState) throws(StoreError) in
            guard state.phase == .idle else { throw .alreadyStarted(name: configuration.name) }
            state.phase = .starting
        }
        let journal: WriteBehindJournal
        let recovery: WriteBehindJournal.Recovery
        do {
            (journal, recovery) = try WriteBehindJournal.open(directory: configuration.journalDirectory, logger: logger)
        } catch {
            shared.withLock { $0.phase = .idle }
            throw error
        }
        shared.withLock { state in
            state.journal = journal
            state.phase = .running
            state.enqueued = recovery.pendingRecords
            state.synced = recovery.pendingRecords
            state.journaledBytes = recovery.pendingBytes
            state.stats.replayedRecords = recovery.pendingRecords
            state.stats.tornBytesSkipped = recovery.tornBytes
            state.stats.tornFramesSkipped = UInt64(recovery.tornSegments.count)
            if recovery.pendingRecords > 0 { state.catchUpFrom = journal.checkpoint }
        }
        logger.info("write-behind journal opened", metadata: [
            "journal": "\(configuration.journalDirectory)", "replay_records": "\(recovery.pendingRecords)",
            "replay_bytes": "\(recovery.pendingBytes)", "torn_bytes_ignored": "\(recovery.tornBytes)"])
        let thread = Thread { [self] in WriterLoop(writer: self).run() }
        thread.name = "db-writer-\(configuration.name)"
        thread.start()
    }

    /// Journals `record` and queues it for the writer; returns without touching the database.
    /// Throws if the record is invalid (nothing is journaled), the journal cannot be written,
    /// or the writer is not running.
    public func enqueue(_ record: PersistedRecord) throws(StoreError) {
        try enqueue(contentsOf: [record])
    }

    /// Journals `records` with ONE append (a process kill keeps all of them or none) and queues
    /// them in order; for rows that must never exist without each other (an order event, its
    /// fill and its audit row). Nothing is journaled if any record is invalid.
    public func enqueue(contentsOf records: [PersistedRecord]) throws(StoreError) {
        guard !records.isEmpty else { return }
        var frames: [[UInt8]] = []
        frames.reserveCapacity(records.count)
        for record in records {
            try record.validate()
            frames.append(RecordCodec.frame(record))
        }
        let batch = frames.count == 1 ? frames[0] : frames.flatMap { $0 }
        let wake = try shared.withLock { (state: inout WriterState) throws(StoreError) -> Bool in
            guard state.phase == .running, let journal = state.journal else {
                throw .writerNotRunning(name: configuration.name)
            }
            let batchEnd = try journal.append(batch)
            var wake = false
            var end = JournalPosition(segment: batchEnd.segment, offset: batchEnd.offset - UInt64(batch.count))
            for (record, frame) in zip(records, frames) {
                end.offset += UInt64(frame.count)
                state.enqueued += 1
                state.journaledBytes += UInt64(frame.count)
                if state.enqueued - state.synced == 1 {
                    state.firstUnsyncedAt = MonotonicClock.now()
                    wake = true
                }
                if state.catchUpFrom == nil, state.queue.count < configuration.queueCapacity,
                   state.queueBytes + frame.count <= configuration.queueMemoryLimit || state.queue.isEmpty {
                    if state.queue.isEmpty {
                        state.firstQueuedAt = MonotonicClock.now()
                        wake = true
                    }
                    state.queue.append(JournalEntry(record: record, frameBytes: frame.count, end: end))
                    state.queueBytes += frame.count
                    if state.queue.count == configuration.batchSize { wake = true }
                } else if state.catchUpFrom == nil {
                    state.catchUpFrom = JournalPosition(segment: end.segment, offset: end.offset - UInt64(frame.count))
                    wake = true
                }
                if state.enqueued - state.synced == UInt64(configuration.fsyncEvery) { wake = true }
            }
            return wake
        }
        if wake { shared.broadcast() }
    }

    /// Waits until every record enqueued before the call (and the start-up replay) is
    /// committed; false on timeout or if the writer is not running. Blocks the calling thread.
    public func flush(timeout: Duration) -> Bool {
        let deadline = MonotonicClock.now() + MonotonicClock.nanoseconds(timeout)
        let target = shared.withLock { state -> UInt64? in
            guard state.phase == .running else { return nil }
            state.flushWaiters += 1
            return state.enqueued
        }
        guard let target else { return false }
        shared.broadcast()
        return shared.wait({ state, _ in
            state.committed >= target || state.phase != .running ? .ready : .sleep(until: deadline)
        }, then: { state in
            state.flushWaiters -= 1
            return state.committed >= target
        })
    }

    /// `flush(timeout:)` for async callers: the wait runs on a thread of its own, never
    /// blocking the cooperative pool.
    public func flushed(timeout: Duration) async -> Bool {
        await withCheckedContinuation { continuation in
            Thread { [self] in continuation.resume(returning: flush(timeout: timeout)) }.start()
        }
    }

    /// Flushes (up to `timeout`), stops the writer thread, syncs the journal and closes the
    /// connection. Returns whether everything was committed; what was not stays in the journal
    /// for the next start. Idempotent.
    @discardableResult
    public func stop(timeout: Duration = .seconds(5)) -> Bool {
        let flushed = flush(timeout: timeout)
        return finish(crash: false, timeout: timeout) && flushed
    }

    /// `stop(timeout:)` for async callers (a `Service`'s shutdown), on a thread of its own.
    @discardableResult
    public func stopped(timeout: Duration = .seconds(5)) async -> Bool {
        await withCheckedContinuation { continuation in
            Thread { [self] in continuation.resume(returning: stop(timeout: timeout)) }.start()
        }
    }

    /// A snapshot of the writer's counters.
    public var stats: WriteBehindStats { shared.withLock { $0.snapshot() } }

    /// More records await a commit than `backlogReadyThreshold`: /ready should degrade.
    public var isBacklogged: Bool {
        shared.withLock { $0.enqueued - $0.committed > UInt64(configuration.backlogReadyThreshold) }
    }

    /// Test hook: stops the thread as a `kill -9` would, after its current step, with no
    /// flush, checkpoint or fsync; the journal is released for a new writer.
    func simulateCrash() {
        _ = finish(crash: true, timeout: .seconds(30))
    }

    /// Test hook: commits still happen but the checkpoint never advances, as if the process
    /// died between each COMMIT and its checkpoint write.
    func disableCheckpoints() {
        shared.withLock { $0.checkpointsDisabled = true }
    }

    private func finish(crash: Bool, timeout: Duration) -> Bool {
        let deadline = MonotonicClock.now() + MonotonicClock.nanoseconds(timeout) + 1_000_000_000
        let hadThread = shared.withLock { state -> Bool in
            switch state.phase {
            case .running:
                state.phase = .stopping
                state.crashRequested = crash
                return true
            case .idle:
                state.phase = .stopped
                return false
            case .starting, .stopping, .stopped:
                return state.phase != .stopped
            }
        }
        guard hadThread else { return true }
        shared.broadcast()
        return shared.wait({ state, _ in state.phase == .stopped ? .ready : .sleep(until: deadline) }, then: { $0.phase == .stopped })
    }
}
