/// Keeps one instrument's local L2 book in step with a venue's diff-depth stream by Binance's
/// documented procedure, and says what to publish so subscribers keep the same book.
///
/// Idle → the first diff is buffered and a snapshot requested → buffering: diffs are kept (at most
/// `maxBufferedDiffs` / `maxBufferedLevels`) until a snapshot arrives; a snapshot whose
/// `lastUpdateId` is below the first buffered `U` is too old (ask again); otherwise buffered diffs
/// with `u <= lastUpdateId` are dropped, the rest applied on top of the snapshot, and the book is
/// published whole → live: a diff with `u <=` book id is stale and ignored, one with `U >` book
/// id + 1 is a gap (discard the book, buffer from this diff, ask for a snapshot), any other is
/// applied and published as a delta. Pure: the host fetches snapshots, publishes messages and
/// owns time; it acts on the outputs.
public struct DepthSynchronizer: Sendable {
    /// Where the synchronizer is in the procedure.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// No book and no buffered diff (start, reconnect, or after discarding a bad book).
        case idle
        /// Diffs buffered, snapshot requested.
        case buffering
        /// The book is in step with the venue.
        case live
    }

    /// Something the host saw.
    public enum Event: Sendable, Hashable {
        /// A diff-depth event from the stream.
        case diff(DepthDiff)
        /// The REST snapshot the synchronizer asked for.
        case snapshot(DepthSnapshot)
        /// A subscriber asked for the whole book (answered only while live).
        case snapshotRequested(timeNs: Int64)
        /// The stream connection was lost; buffered diffs and the book are void.
        case disconnected
    }

    /// Something for the host to do or to report.
    public enum Output: Sendable, Hashable {
        /// Fetch a REST depth snapshot and feed it back as `.snapshot`.
        case requestSnapshot(BookResyncReason)
        /// Publish the whole book (after a (re)sync, or answering `.snapshotRequested`).
        case snapshot(BookMessage)
        /// Publish the levels one applied diff changed.
        case delta(BookMessage)
        /// Diffs were missed: the next diff should have started at `expected`, it started at `got`.
        case gap(expected: UInt64, got: UInt64)
        /// A snapshot older than the first buffered diff was not used.
        case snapshotTooOld(lastUpdateId: UInt64, firstBufferedUpdateId: UInt64)
        /// The book became crossed or locked (reported again only after it uncrossed).
        case crossed(BookCross, bestBid: Price, bestAsk: Price)
        /// A diff or snapshot was refused.
        case rejected(DepthInputError)
        /// The published book is void until the next `.snapshot`: subscribers should stop using it.
        case invalidated(BookResyncReason)
    }

    /// Totals for metrics, since the synchronizer was made.
    public struct Counters: Sendable, Hashable {
        /// Diffs applied to a live book.
        public var appliedDiffs = 0
        /// Diffs ignored because the book already had them (`u <=` book id).
        public var staleDiffs = 0
        /// Buffered diffs dropped (covered by the snapshot, or before a gap in the buffer).
        public var droppedBufferedDiffs = 0
        /// Times the book was published after a snapshot.
        public var syncs = 0
        /// Times a live book was discarded (gap, crossed, invalid input, disconnect).
        public var resyncs = 0
        /// Gaps seen, live or in the buffer.
        public var gaps = 0
        public var snapshotsTooOld = 0
        /// Snapshots that came while idle or live (late answers to an earlier request).
        public var ignoredSnapshots = 0
        public var bufferOverflows = 0
        /// Diffs and snapshots refused.
        public var rejectedInputs = 0
    }

    public let instrument: InstrumentId
    public let configuration: DepthSynchronizerConfiguration
    public private(set) var state: State = .idle
    /// The local book: complete while `live`, empty otherwise.
    public private(set) var book: OrderBook
    /// Sequence of the last published `BookMessage` (0 before the first).
    public private(set) var sequence: UInt64 = 0
    public private(set) var counters = Counters()
    private var buffer: [DepthDiff] = []
    private var bufferedLevels = 0
    private var reportedCross: BookCross?
    private var nextRequestReason = BookResyncReason.initial

    /// A synchronizer with an empty book, waiting for its first diff.
    public init(instrument: InstrumentId, configuration: DepthSynchronizerConfiguration = .defaults) throws(ConfigurationError) {
        try configuration.validate()
        self.instrument = instrument
        self.configuration = configuration
        book = OrderBook(instrument: instrument)
    }

    /// Diff events held while waiting for a snapshot, oldest first.
    public var bufferedDiffs: [DepthDiff] { buffer }

    /// Applies `event` and returns what the host must do, in order.
    public mutating func apply(_ event: Event) -> [Output] {
        var outputs: [Output] = []
        apply(event, into: &outputs)
        return outputs
    }

    /// Applies `event`, appending the outputs to `outputs` (a host reusing one array allocates
    /// nothing for them per diff).
    public mutating func apply(_ event: Event, into outputs: inout [Output]) {
        switch (state, event) {
        case (.idle, .diff(let diff)):
            guard accept(diff, into: &outputs) else { return }
            startBuffering(from: diff, reason: nextRequestReason, into: &outputs)
        case (.buffering, .diff(let diff)):
            guard accept(diff, into: &outputs) else { return }
            bufferDiff(diff, into: &outputs)
        case (.live, .diff(let diff)):
            guard accept(diff, into: &outputs) else { return }
            applyLive(diff, into: &outputs)

        case (.buffering, .snapshot(let snapshot)):
            synchronize(with: snapshot, into: &outputs)
        case (.idle, .snapshot), (.live, .snapshot):
            counters.ignoredSnapshots += 1

        case (.live, .snapshotRequested(let timeNs)):
            publishSnapshot(timeNs: timeNs, into: &outputs)
        case (.idle, .snapshotRequested), (.buffering, .snapshotRequested):
            break

        case (.live, .disconnected):
            discardBook(.disconnected, into: &outputs)
        case (.buffering, .disconnected):
            clearBuffer()
            state = .idle
            nextRequestReason = .disconnected
        case (.idle, .disconnected):
            break
        }
    }

    // MARK: Transitions

    private mutating func startBuffering(from diff: DepthDiff, reason: BookResyncReason, into outputs: inout [Output]) {
        clearBuffer()
        buffer.append(diff)
        bufferedLevels = diff.levelCount
        state = .buffering
        outputs.append(.requestSnapshot(reason))
    }

    /// Keeps the buffer one contiguous run of diffs, so a snapshot that covers its start covers it all.
    private mutating func bufferDiff(_ diff: DepthDiff, into outputs: inout [Output]) {
        let last = buffer[buffer.count - 1].finalUpdateId
        if diff.finalUpdateId <= last {
            counters.staleDiffs += 1
            return
        }
        if Self.isGap(diff, after: last) {
            counters.gaps += 1
            counters.droppedBufferedDiffs += buffer.count
            outputs.append(.gap(expected: last &+ 1, got: diff.firstUpdateId))
            clearBuffer()
        }
        buffer.append(diff)
        bufferedLevels += diff.levelCount
        if buffer.count > configuration.maxBufferedDiffs || bufferedLevels > configuration.maxBufferedLevels {
            counters.bufferOverflows += 1
            counters.droppedBufferedDiffs += buffer.count - 1
            startBuffering(from: diff, reason: .bufferOverflow, into: &outputs)
        }
    }

    private mutating func synchronize(with snapshot: DepthSnapshot, into outputs: inout [Output]) {
        let firstBuffered = buffer[0].firstUpdateId
        guard snapshot.lastUpdateId >= firstBuffered else {
            counters.snapshotsTooOld += 1
            outputs.append(.snapshotTooOld(lastUpdateId: snapshot.lastUpdateId, firstBufferedUpdateId: firstBuffered))
            outputs.append(.requestSnapshot(.snapshotTooOld))
            return
        }
        var synced: OrderBook
        do {
            synced = try OrderBook(instrument: instrument, bids: snapshot.bids, asks: snapshot.asks, updateId: snapshot.lastUpdateId)
        } catch {
            counters.rejectedInputs += 1
            outputs.append(.rejected(.snapshotLevel(error)))
            outputs.append(.requestSnapshot(.invalidInput))
            return
        }
        let covered = buffer.firstIndex { $0.finalUpdateId > snapshot.lastUpdateId } ?? buffer.count
        var timeNs = snapshot.timeNs
        for index in covered..<buffer.count {
            let diff = buffer[index]
            if Self.isGap(diff, after: synced.updateId) {
                // Unreachable while the buffer stays one contiguous run; kept so a broken chain never syncs.
                counters.gaps += 1
                counters.droppedBufferedDiffs += index
                outputs.append(.gap(expected: synced.updateId &+ 1, got: diff.firstUpdateId))
                buffer.removeFirst(index)
                bufferedLevels = buffer.reduce(0) { $0 + $1.levelCount }
                outputs.append(.requestSnapshot(.gap))
                return
            }
            do {
                try synced.apply(bids: diff.bids, asks: diff.asks, updateId: diff.finalUpdateId)
            } catch {
                reject(.diffLevel(error), into: &outputs)
                return
            }
            timeNs = Swift.max(timeNs, diff.timeNs)
        }
        counters.droppedBufferedDiffs += covered
        clearBuffer()
        if let cross = synced.cross, configuration.crossedBook == .resync,
           let bid = synced.bestBid?.price, let ask = synced.bestAsk?.price {
            outputs.append(.crossed(cross, bestBid: bid, bestAsk: ask))
            state = .idle
            nextRequestReason = .crossed
            return
        }
        book = synced
        state = .live
        reportedCross = nil
        counters.syncs += 1
        publishSnapshot(timeNs: timeNs, into: &outputs)
        checkCross(into: &outputs)
    }

    private mutating func applyLive(_ diff: DepthDiff, into outputs: inout [Output]) {
        if diff.finalUpdateId <= book.updateId {
            counters.staleDiffs += 1
            return
        }
        if Self.isGap(diff, after: book.updateId) {
            counters.gaps += 1
            outputs.append(.gap(expected: book.updateId &+ 1, got: diff.firstUpdateId))
            discardBook(.gap, into: &outputs)
            startBuffering(from: diff, reason: .gap, into: &outputs)
            return
        }
        do {
            try book.apply(bids: diff.bids, asks: diff.asks, updateId: diff.finalUpdateId)
        } catch {
            reject(.diffLevel(error), into: &outputs)
            return
        }
        counters.appliedDiffs += 1
        sequence += 1
        let update = BookUpdate(
            instrument: instrument, snapshot: false, bids: diff.bids, asks: diff.asks, timeNs: diff.timeNs,
            exchangeTimeNs: diff.exchangeTimeNs)
        outputs.append(.delta(BookMessage(sequence: sequence, venueUpdateId: diff.finalUpdateId, update: update)))
        checkCross(into: &outputs)
    }

    private mutating func publishSnapshot(timeNs: Int64, into outputs: inout [Output]) {
        sequence += 1
        outputs.append(.snapshot(BookMessage(sequence: sequence, venueUpdateId: book.updateId, update: book.snapshot(timeNs: timeNs))))
    }

    /// Reports a crossed or locked book once per episode; under `.resync` also discards it.
    private mutating func checkCross(into outputs: inout [Output]) {
        let cross = book.cross
        guard cross != reportedCross else { return }
        reportedCross = cross
        guard let cross, let bid = book.bestBid?.price, let ask = book.bestAsk?.price else { return }
        outputs.append(.crossed(cross, bestBid: bid, bestAsk: ask))
        switch configuration.crossedBook {
        case .report:
            break
        case .resync:
            discardBook(.crossed, into: &outputs)
        }
    }

    /// Refuses a diff: nothing buffered or held can be trusted past it, so start over from idle.
    private mutating func reject(_ error: DepthInputError, into outputs: inout [Output]) {
        counters.rejectedInputs += 1
        outputs.append(.rejected(error))
        switch state {
        case .live:
            discardBook(.invalidInput, into: &outputs)
        case .buffering, .idle:
            clearBuffer()
            book.clear()
            state = .idle
            nextRequestReason = .invalidInput
        }
    }

    /// Voids a live book: clears it and goes idle (the caller may start buffering at once).
    private mutating func discardBook(_ reason: BookResyncReason, into outputs: inout [Output]) {
        counters.resyncs += 1
        book.clear()
        reportedCross = nil
        clearBuffer()
        state = .idle
        nextRequestReason = reason
        outputs.append(.invalidated(reason))
    }

    /// Checks a diff before any state changes; refuses it (and starts over) if malformed.
    private mutating func accept(_ diff: DepthDiff, into outputs: inout [Output]) -> Bool {
        if diff.firstUpdateId > diff.finalUpdateId {
            reject(.reversedUpdateIds(first: diff.firstUpdateId, final: diff.finalUpdateId), into: &outputs)
            return false
        }
        do {
            try OrderBook.check(diff.bids, side: .bid)
            try OrderBook.check(diff.asks, side: .ask)
        } catch {
            reject(.diffLevel(error), into: &outputs)
            return false
        }
        return true
    }

    private mutating func clearBuffer() {
        buffer.removeAll(keepingCapacity: false)
        bufferedLevels = 0
    }

    /// True when `diff` starts past `updateId` + 1 (written to avoid overflow at `UInt64.max`).
    @inline(__always)
    private static func isGap(_ diff: DepthDiff, after updateId: UInt64) -> Bool {
        diff.firstUpdateId > updateId && diff.firstUpdateId - updateId > 1
    }
}
