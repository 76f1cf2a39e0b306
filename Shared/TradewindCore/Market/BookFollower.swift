/// A subscriber's copy of a published book stream (`md.book.<instrument>`, see `BookMessage`):
/// applies snapshots and deltas and notices a missed message by the book sequence.
///
/// A snapshot is always taken (it replaces the book); a delta is applied only if its sequence is
/// exactly one past the last message applied. Any other delta is a gap: the book is cleared and
/// every delta is ignored until the next snapshot, which the host should ask the publisher for.
public struct BookFollower: Sendable, Hashable {
    /// Whether the follower holds a usable book.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// No snapshot yet, or the book was voided by a gap or a refused message.
        case awaitingSnapshot
        /// The book equals the publisher's as of `sequence`.
        case synced
    }

    /// What one message did.
    public enum Outcome: Sendable, Hashable {
        /// A snapshot replaced the book.
        case synced
        /// A delta was applied.
        case applied
        /// A delta came while awaiting a snapshot; it was ignored.
        case awaitingSnapshot
        /// A delta's sequence is not the next one: the book was cleared; ask for a snapshot.
        case gap(expected: UInt64, got: UInt64)
        /// A message with a level the book refuses: the book was cleared; ask for a snapshot.
        case rejected(OrderBookError)
        /// A message for another instrument; ignored.
        case wrongInstrument(InstrumentId)
    }

    public let instrument: InstrumentId
    public private(set) var state: State = .awaitingSnapshot
    /// The book (empty unless `synced`).
    public private(set) var book: OrderBook
    /// Sequence of the last message applied (0 before the first snapshot).
    public private(set) var sequence: UInt64 = 0
    /// Gaps seen since the follower was made.
    public private(set) var gapCount = 0

    /// A follower awaiting its first snapshot.
    public init(instrument: InstrumentId) {
        self.instrument = instrument
        book = OrderBook(instrument: instrument)
    }

    /// Applies one published message.
    public mutating func apply(_ message: BookMessage) -> Outcome {
        guard message.instrument == instrument else { return .wrongInstrument(message.instrument) }
        switch (state, message.isSnapshot) {
        case (.awaitingSnapshot, true), (.synced, true):
            do {
                try book.replace(bids: message.update.bids, asks: message.update.asks, updateId: message.venueUpdateId)
            } catch {
                return void(.rejected(error))
            }
            sequence = message.sequence
            state = .synced
            return .synced
        case (.awaitingSnapshot, false):
            return .awaitingSnapshot
        case (.synced, false):
            guard message.sequence == sequence &+ 1 else {
                gapCount += 1
                return void(.gap(expected: sequence &+ 1, got: message.sequence))
            }
            do {
                try book.apply(bids: message.update.bids, asks: message.update.asks, updateId: message.venueUpdateId)
            } catch {
                return void(.rejected(error))
            }
            sequence = message.sequence
            return .applied
        }
    }

    /// Clears the book and waits for a snapshot (for example after the publisher invalidated it).
    public mutating func reset() {
        book.clear()
        state = .awaitingSnapshot
    }

    private mutating func void(_ outcome: Outcome) -> Outcome {
        reset()
        return outcome
    }
}
