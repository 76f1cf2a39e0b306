/// A live venue feed's decisions in one machine: the connection's life (`FeedConnection`), one
/// L2 book per instrument kept by Binance's procedure (`DepthSynchronizer`), snapshot retries, and
/// what goes out: quotes and trades as they come, book snapshots and deltas with a book sequence,
/// and feed-state changes. The host decodes frames into `Event`s, feeds time in, and does what the
/// outputs say (open or close the socket, fetch a snapshot, publish).
public struct LiveMarketFeed: Sendable {
    public enum Event: Sendable, Hashable {
        case start(timeNs: Int64)
        case opened(timeNs: Int64)
        case closed(timeNs: Int64)
        case quote(Quote)
        case trade(Trade)
        case depth(InstrumentId, DepthDiff)
        case snapshot(InstrumentId, DepthSnapshot)
        case snapshotFailed(InstrumentId, timeNs: Int64)
        case serverShutdown(timeNs: Int64)
        /// A frame that arrived but could not be used (it still proves the connection alive).
        case unusableFrame(timeNs: Int64)
        /// A subscriber asked for `instrument`'s whole book.
        case bookRequested(InstrumentId, timeNs: Int64)
        case clock(timeNs: Int64)
    }

    public enum Output: Sendable, Hashable {
        case connect(attempt: Int)
        case disconnect(FeedConnection.DisconnectReason)
        case requestSnapshot(InstrumentId, BookResyncReason)
        case quote(Quote)
        case trade(Trade)
        case book(BookMessage)
        /// The connection's state (`instrument` nil) or a book's (`live` / `resyncing`) changed.
        case feedState(instrument: InstrumentId?, state: String, reason: String)
        case gap(InstrumentId, expected: UInt64, got: UInt64)
        case crossed(InstrumentId, BookCross)
        case rejected(InstrumentId, DepthInputError)
    }

    public private(set) var connection: FeedConnection
    public private(set) var books: [InstrumentId: DepthSynchronizer]
    /// Instruments, in a fixed order (for outputs that visit every book).
    public let instruments: [InstrumentId]
    /// When a failed snapshot request is retried, per instrument.
    private var snapshotRetries: [InstrumentId: (atNs: Int64, reason: BookResyncReason, failures: Int)] = [:]
    private var scratch: [DepthSynchronizer.Output] = []

    public init(
        instruments: [InstrumentId], connection: FeedConnection.Configuration, books: DepthSynchronizerConfiguration, seed: UInt64
    ) throws(ConfigurationError) {
        self.instruments = instruments.sorted()
        self.connection = FeedConnection(configuration: connection, seed: seed)
        var synchronizers: [InstrumentId: DepthSynchronizer] = [:]
        for instrument in instruments { synchronizers[instrument] = try DepthSynchronizer(instrument: instrument, configuration: books) }
        self.books = synchronizers
    }

    /// When the venue last sent anything (a usable frame or not), or the start while it has sent
    /// nothing yet; nil before the start.
    public private(set) var lastMessageNs: Int64?

    /// Connected, receiving, and every book in step with the venue.
    public var isReady: Bool {
        connection.feedState == .live && books.values.allSatisfy { $0.state == .live }
    }

    /// What `/ready` says about the feed: the connection's state and each book's, instruments in order.
    public var readinessDetail: String {
        let states = instruments.map { "\($0) \(books[$0]?.state.rawValue ?? "-")" }.joined(separator: ", ")
        return "connection \(connection.feedState.rawValue); books: \(states)"
    }

    /// How long the venue has been silent at `nowNs` (across reconnects), or nil before the start.
    public func silenceNs(at nowNs: Int64) -> Int64? {
        lastMessageNs.map { max(0, nowNs - $0) }
    }

    public mutating func apply(_ event: Event) -> [Output] {
        var outputs: [Output] = []
        switch event {
        case .start(let time): connectionChanged(.start(timeNs: time), into: &outputs)
        case .opened(let time): connectionChanged(.opened(timeNs: time), into: &outputs)
        case .closed(let time): connectionChanged(.closed(timeNs: time), into: &outputs)
        case .serverShutdown(let time): connectionChanged(.serverShutdown(timeNs: time), into: &outputs)
        case .unusableFrame(let time): connectionChanged(.message(timeNs: time), into: &outputs)
        case .quote(let quote):
            connectionChanged(.message(timeNs: quote.timeNs), into: &outputs)
            outputs.append(.quote(quote))
        case .trade(let trade):
            connectionChanged(.message(timeNs: trade.timeNs), into: &outputs)
            outputs.append(.trade(trade))
        case .depth(let instrument, let diff):
            connectionChanged(.message(timeNs: diff.timeNs), into: &outputs)
            book(instrument, .diff(diff), into: &outputs)
        case .snapshot(let instrument, let snapshot):
            snapshotRetries[instrument] = nil
            book(instrument, .snapshot(snapshot), into: &outputs)
        case .snapshotFailed(let instrument, let time):
            guard books[instrument]?.state == .buffering else { break }
            let failures = (snapshotRetries[instrument]?.failures ?? 0) + 1
            let delay = connection.backoffNs(failures: failures)
            snapshotRetries[instrument] = (time + delay, snapshotRetries[instrument]?.reason ?? .initial, failures)
        case .bookRequested(let instrument, let time):
            book(instrument, .snapshotRequested(timeNs: time), into: &outputs)
        case .clock(let time):
            connectionChanged(.clock(timeNs: time), into: &outputs)
            retrySnapshots(at: time, into: &outputs)
        }
        return outputs
    }

    private mutating func connectionChanged(_ event: FeedConnection.Event, into outputs: inout [Output]) {
        switch event {
        case .start(let time): if lastMessageNs == nil { lastMessageNs = time }
        case .message(let time), .serverShutdown(let time): lastMessageNs = time
        case .opened, .closed, .clock: break
        }
        for output in connection.apply(event) {
            switch output {
            case .connect(let attempt): outputs.append(.connect(attempt: attempt))
            case .disconnect(let reason):
                outputs.append(.disconnect(reason))
                disconnectBooks(into: &outputs)
            case .feedState(let state, let reason):
                outputs.append(.feedState(instrument: nil, state: state.rawValue, reason: reason))
            }
        }
        // a connection that closed by itself also voids the books (their diffs stop)
        if case .closed = event { disconnectBooks(into: &outputs) }
    }

    private mutating func disconnectBooks(into outputs: inout [Output]) {
        snapshotRetries.removeAll()
        for instrument in instruments { book(instrument, .disconnected, into: &outputs) }
    }

    private mutating func retrySnapshots(at time: Int64, into outputs: inout [Output]) {
        guard !snapshotRetries.isEmpty else { return }
        for instrument in instruments {
            guard var retry = snapshotRetries[instrument], retry.atNs <= time else { continue }
            retry.atNs = .max
            snapshotRetries[instrument] = retry
            outputs.append(.requestSnapshot(instrument, retry.reason))
        }
    }

    private mutating func book(_ instrument: InstrumentId, _ event: DepthSynchronizer.Event, into outputs: inout [Output]) {
        guard var synchronizer = books[instrument] else { return }
        books[instrument] = nil
        let wasLive = synchronizer.state == .live
        scratch.removeAll(keepingCapacity: true)
        synchronizer.apply(event, into: &scratch)
        let isLive = synchronizer.state == .live
        books[instrument] = synchronizer
        for output in scratch {
            switch output {
            case .requestSnapshot(let reason):
                snapshotRetries[instrument] = (.max, reason, 0)
                outputs.append(.requestSnapshot(instrument, reason))
            case .snapshot(let message), .delta(let message): outputs.append(.book(message))
            case .gap(let expected, let got): outputs.append(.gap(instrument, expected: expected, got: got))
            case .snapshotTooOld: break
            case .crossed(let cross, _, _): outputs.append(.crossed(instrument, cross))
            case .rejected(let error): outputs.append(.rejected(instrument, error))
            case .invalidated(let reason):
                outputs.append(.feedState(instrument: instrument, state: "resyncing", reason: reason.rawValue))
            }
        }
        if isLive, !wasLive { outputs.append(.feedState(instrument: instrument, state: "live", reason: "book in step with the venue")) }
    }
}
