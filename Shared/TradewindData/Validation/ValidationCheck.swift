/// What `tradewind data validate` checks, as stable codes: the keys of the report's `checks`.
public enum ValidationCheck: String, Sendable, Hashable, CaseIterable, Codable {
    /// The dataset could not be read to its end (a checksum, a truncated segment, a broken group).
    case unreadable
    /// The manifest says the writer never finished (`complete: false`).
    case incomplete
    /// A record earlier than the one before it of the same instrument and stream kind.
    case monotonicTime = "monotonic_time"
    /// A book update number that does not follow the previous one, a delta before any snapshot,
    /// or a level outside an update.
    case bookSequence = "book_sequence"
    /// After an update, the best bid at or above the best ask (crossed or locked).
    case crossedBook = "crossed_book"
    /// A quote whose bid is at or above its ask.
    case crossedQuote = "crossed_quote"
    /// A price of zero or below (an empty update's placeholder record excepted).
    case nonPositivePrice = "non_positive_price"
    /// A size of zero or below; size 0 is legal only as a level removal in a book delta (and a
    /// bar's volume may be 0).
    case nonPositiveSize = "non_positive_size"
    /// A trade id seen before for the same instrument.
    case duplicateTradeId = "duplicate_trade_id"
    /// No event for an instrument for longer than the threshold.
    case timeGap = "time_gap"
}
