import Logging

/// The writer thread's body. It alone owns the PGConnection and reads the journal; it takes
/// the shared lock only to move records and counters, never while talking to the database.
final class WriterLoop {
    let writer: WriteBehindWriter
    let configuration: WriteBehindConfiguration
    let shared: ConditionLock<WriterState>
    let journal: WriteBehindJournal
    private let reader: JournalReader
    let logger: Logger
    private let deadLetters: DeadLetterFile
    private let flushInterval: UInt64
    let fsyncInterval: UInt64
    var connection: PGConnection?
    /// Records taken from the queue, oldest first, not yet in a batch.
    private var pending: [JournalEntry] = []
    private var pendingHead = 0
    /// The batch being written; kept across failed attempts until it commits.
    private var batch: [JournalEntry] = []
    /// Where the next catch-up read starts, while catching up from the journal file.
    private var fileCursor: JournalPosition?
    private var backoff: RetryBackoff
    private var retryAt: UInt64 = 0
    private var reportedSkips: (frames: UInt64, bytes: UInt64) = (0, 0)
    /// Last successful exchange with the database; an idle writer pings it every second so
    /// `databaseReachable` (and /ready) follow an outage even when nothing is being written.
    private var lastContact: UInt64 = 0
    private static let keepAliveInterval: UInt64 = 1_000_000_000

    init(writer: WriteBehindWriter) {
        self.writer = writer
        configuration = writer.configuration
        shared = writer.shared
        logger = writer.logger
        journal = shared.withLock { $0.journal! }
        reader = JournalReader(journal: journal, logger: logger)
        deadLetters = DeadLetterFile(directory: configuration.journalDirectory)
        flushInterval = MonotonicClock.nanoseconds(configuration.flushInterval)
        fsyncInterval = MonotonicClock.nanoseconds(configuration.fsyncInterval)
        backoff = RetryBackoff(minimum: configuration.retryMinimum, maximum: configuration.retryMaximum)
    }

    func run() {
        while true {
            let (stopping, crashing) = waitForWork()
            if crashing { return exit(cleanly: false) }
            if batch.isEmpty { fillBatch() }
            if !batch.isEmpty, MonotonicClock.now() >= retryAt { write() }
            if batch.isEmpty { keepAliveIfIdle() }
            syncIfDue()
            rotateIfNeeded()
            publishGauges()
            if stopping { return exit(cleanly: true) }
        }
    }

    // MARK: Waiting and taking work

    private func waitForWork() -> (stopping: Bool, crashing: Bool) {
        let hasLocalWork = pendingHead < pending.count
        let batchWaiting = !batch.isEmpty
        let retryAt = retryAt
        let keepAliveDue = max(retryAt, lastContact + Self.keepAliveInterval)
        return shared.wait({ state, now in
            if state.phase != .running { return .ready }
            if !batchWaiting, now >= keepAliveDue { return .ready }
            var deadline = batchWaiting ? now + Self.keepAliveInterval : keepAliveDue
            if batchWaiting {
                if now >= retryAt { return .ready }
                deadline = min(deadline, retryAt)
            } else if hasLocalWork || state.catchUpFrom != nil {
                if now >= retryAt { return .ready }
                deadline = min(deadline, retryAt)
            } else if !state.queue.isEmpty {
                let due = (state.firstQueuedAt ?? now) + flushInterval
                if state.queue.count >= configuration.batchSize || state.flushWaiters > 0 || now >= due { return .ready }
                deadline = min(deadline, due)
            }
            if state.enqueued > state.synced {
                let due = (state.firstUnsyncedAt ?? now) + fsyncInterval
                if state.enqueued - state.synced >= UInt64(configuration.fsyncEvery) || now >= due { return .ready }
                deadline = min(deadline, due)
            }
            return .sleep(until: deadline)
        }, then: { state in (state.phase == .stopping, state.crashRequested) })
    }

    private enum Source {
        case none
        case queue([JournalEntry])
        case file(from: JournalPosition, limit: JournalPosition)
    }

    private func fillBatch() {
        if pendingHead == pending.count {
            let source = shared.withLock { state -> Source in
                if !state.queue.isEmpty {
                    defer {
                        state.queue = []
                        state.queueBytes = 0
                        state.firstQueuedAt = nil
                    }
                    return .queue(state.queue)
                }
                guard let from = state.catchUpFrom else { return .none }
                return .file(from: fileCursor ?? from, limit: journal.end)
            }
            switch source {
            case .none: return
            case .queue(let entries):
                pending = entries
                pendingHead = 0
            case .file(let from, let limit):
                return readFromJournal(from: from, limit: limit)
            }
        }
        let count = min(configuration.batchSize, pending.count - pendingHead)
        batch = Array(pending[pendingHead..<(pendingHead + count)])
        pendingHead += count
        if pendingHead == pending.count {
            pending = []
            pendingHead = 0
        }
    }

    private func readFromJournal(from: JournalPosition, limit: JournalPosition) {
        do {
            let (entries, next) = try reader.read(from: from, limit: limit, maxRecords: configuration.batchSize)
            fileCursor = next
            if reader.skippedFrames != reportedSkips.frames {
                let (frames, bytes) = (reader.skippedFrames - reportedSkips.frames, reader.skippedBytes - reportedSkips.bytes)
                reportedSkips = (reader.skippedFrames, reader.skippedBytes)
                shared.withLock { state in
                    state.stats.tornFramesSkipped += frames
                    state.stats.tornBytesSkipped += bytes
                }
            }
            if !entries.isEmpty {
                batch = droppingInvalid(entries)
                return
            }
            let caughtUp = shared.withLock { state -> Bool in
                guard journal.normalized(next) >= journal.end else { return false }
                state.catchUpFrom = nil
                state.committed = state.enqueued
                state.committedBytes = state.journaledBytes
                return true
            }
            if caughtUp {
                fileCursor = nil
                shared.broadcast()
                saveCheckpoint(next)
            }
        } catch {
            noteFailure(error, what: "journal read")
        }
    }

    /// Records read back from the journal were validated when enqueued, but possibly by an
    /// older build: any that no longer validate go to `rejected.jsonl` instead of a statement.
    private func droppingInvalid(_ entries: [JournalEntry]) -> [JournalEntry] {
        var valid: [JournalEntry] = []
        valid.reserveCapacity(entries.count)
        var dropped: (count: UInt64, bytes: UInt64) = (0, 0)
        for entry in entries {
            do throws(StoreError) {
                try entry.record.validate()
                valid.append(entry)
            } catch {
                reject(entry, error)
                dropped = (dropped.count + 1, dropped.bytes + UInt64(entry.frameBytes))
            }
        }
        if dropped.count > 0 {
            shared.withLock { state in
                state.committed += dropped.count
                state.committedBytes += dropped.bytes
                state.stats.recordsRejected += dropped.count
            }
        }
        return valid
    }

    // MARK: Writing

    private func write() {
        guard let connection = connected() else { return }
        let started = MonotonicClock.now()
        do throws(StoreError) {
            let statements = try BatchStatement.statements(for: batch.map(\.record))
            try connection.transaction(typed: { () throws(StoreError) in
                for statement in statements { try connection.execute(statement.sql, statement.parameters) }
            })
            committed(batch[...], rejected: 0, latency: MonotonicClock.now() - started)
            batch = []
        } catch where error.isPermanentDataError && connection.isConnected {
            writeOneByOne(connection)
        } catch {
            noteFailure(error, what: "batch write")
        }
    }

    /// After a batch failed on its data: writes each record alone so one bad record cannot
    /// block the rest; a record the database refuses goes to `rejected.jsonl` and is skipped.
    private func writeOneByOne(_ connection: PGConnection) {
        var index = 0
        while index < batch.count {
            let entry = batch[index]
            let started = MonotonicClock.now()
            do throws(StoreError) {
                let statements = try BatchStatement.statements(for: [entry.record])
                try connection.transaction(typed: { () throws(StoreError) in
                    for statement in statements { try connection.execute(statement.sql, statement.parameters) }
                })
                committed(batch[index...index], rejected: 0, latency: MonotonicClock.now() - started)
            } catch where error.isPermanentDataError && connection.isConnected {
                reject(entry, error)
                committed(batch[index...index], rejected: 1, latency: MonotonicClock.now() - started)
            } catch {
                batch.removeFirst(index)
                return noteFailure(error, what: "record write")
            }
            index += 1
        }
        batch = []
    }

    private func reject(_ entry: JournalEntry, _ error: StoreError) {
        logger.error("database refused a record; moved to rejected.jsonl", metadata: [
            "table": "\(entry.record.table)", "error": "\(error)", "file": "\(deadLetters.path)"])
        writer.metrics.recordsRejected.increment()
        do {
            try deadLetters.append(entry.record, error: error)
        } catch {
            logger.critical("could not keep a refused record", metadata: ["error": "\(error)"])
        }
    }

    private func keepAliveIfIdle() {
        let now = MonotonicClock.now()
        guard now >= retryAt, now - lastContact >= Self.keepAliveInterval else { return }
        guard let connection = connected() else { return }
        do {
            try connection.execute("SELECT 1")
            lastContact = MonotonicClock.now()
        } catch {
            noteFailure(error, what: "keep-alive")
        }
    }

    private func connected() -> PGConnection? {
        if let connection, connection.isConnected { return connection }
        connection?.close()
        connection = nil
        do {
            let connection = try PGConnection(url: configuration.url)
            self.connection = connection
            lastContact = MonotonicClock.now()
            shared.withLock { $0.stats.databaseReachable = true }
            logger.info("database connected", metadata: ["url": "\(connection.redactedURL)"])
            return connection
        } catch {
            noteFailure(error, what: "connect")
            return nil
        }
    }

    private func committed(_ entries: ArraySlice<JournalEntry>, rejected: UInt64, latency: UInt64) {
        guard let last = entries.last else { return }
        let bytes = entries.reduce(UInt64(0)) { $0 + UInt64($1.frameBytes) }
        let written = UInt64(entries.count) - rejected
        shared.withLock { state in
            state.committed += UInt64(entries.count)
            state.committedBytes += bytes
            state.stats.recordsWritten += written
            state.stats.recordsRejected += rejected
            state.stats.databaseReachable = true
            state.stats.lastWriteLatency = MonotonicClock.duration(nanoseconds: latency)
        }
        shared.broadcast()
        writer.metrics.writeSeconds.recordNanoseconds(Int64(clamping: latency))
        writer.metrics.recordsWritten.increment(by: Int64(written))
        backoff.reset()
        retryAt = 0
        lastContact = MonotonicClock.now()
        saveCheckpoint(last.end)
    }

    func saveCheckpoint(_ position: JournalPosition) {
        guard !shared.withLock({ $0.checkpointsDisabled }) else { return }
        do {
            try journal.saveCheckpoint(position)
        } catch {
            noteFailure(error, what: "checkpoint")
        }
    }

    private func noteFailure(_ error: StoreError, what: String) {
        let delay = backoff.next()
        retryAt = MonotonicClock.now() + delay
        if let current = connection, !current.isConnected {
            current.close()
            connection = nil
        }
        shared.withLock { state in
            state.stats.writeErrors += 1
            state.stats.lastError = "\(what): \(error)"
            if connection == nil { state.stats.databaseReachable = false }
        }
        writer.metrics.writeErrors.increment()
        logger.warning("database operation failed; retrying", metadata: [
            "operation": "\(what)", "error": "\(error)", "attempt": "\(backoff.attempts)",
            "retry_in_ms": "\(delay / 1_000_000)"])
    }
}
