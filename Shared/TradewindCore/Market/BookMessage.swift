/// One message of a published book stream (`md.book.<instrument>`): a full snapshot when the
/// publisher (re)synchronizes or is asked for one, and the changed levels of every applied venue
/// diff in between.
///
/// `sequence` grows by exactly one per message of the stream, snapshots included, so a subscriber
/// holding the book at sequence n applies the delta with n + 1 and treats anything else as a gap
/// (see `BookFollower`). A snapshot is always acceptable: it replaces the book whatever came before.
public struct BookMessage: Sendable, Hashable, Codable {
    /// Position in the publisher's book stream (the first message is 1).
    public var sequence: UInt64
    /// The venue update id the book is at after this message (Binance `lastUpdateId` / `u`).
    public var venueUpdateId: UInt64
    /// The levels: the whole book, best first, when `update.snapshot`; otherwise the changed
    /// levels with absolute sizes (0 removes a level).
    public var update: BookUpdate

    public init(sequence: UInt64, venueUpdateId: UInt64, update: BookUpdate) {
        self.sequence = sequence
        self.venueUpdateId = venueUpdateId
        self.update = update
    }

    /// True for a full snapshot, false for a delta.
    public var isSnapshot: Bool { update.snapshot }

    /// The instrument the book belongs to.
    public var instrument: InstrumentId { update.instrument }
}
