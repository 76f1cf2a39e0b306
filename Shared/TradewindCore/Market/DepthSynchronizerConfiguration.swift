/// Limits and policy of a `DepthSynchronizer`, validated once when the synchronizer is made.
public struct DepthSynchronizerConfiguration: Sendable, Hashable, Codable {
    /// Most diff events held while waiting for a snapshot; one more discards the buffer (keeping
    /// the newest event) and asks for a fresh snapshot.
    public var maxBufferedDiffs: Int
    /// Most levels held across buffered diff events; past it, as for `maxBufferedDiffs`.
    public var maxBufferedLevels: Int
    /// What a crossed or locked book means.
    public var crossedBook: CrossedBookPolicy

    public init(maxBufferedDiffs: Int = 1_000, maxBufferedLevels: Int = 200_000, crossedBook: CrossedBookPolicy = .resync) {
        self.maxBufferedDiffs = maxBufferedDiffs
        self.maxBufferedLevels = maxBufferedLevels
        self.crossedBook = crossedBook
    }

    /// 1 000 diffs (100 s of `@depth@100ms`), 200 000 levels, resync on a crossed book.
    public static let defaults = DepthSynchronizerConfiguration()

    /// Checks both bounds are positive, naming `book.<field>`.
    public func validate() throws(ConfigurationError) {
        guard maxBufferedDiffs > 0 else {
            throw ConfigurationError(key: "book.maxBufferedDiffs", value: "\(maxBufferedDiffs)", reason: "must be > 0")
        }
        guard maxBufferedLevels > 0 else {
            throw ConfigurationError(key: "book.maxBufferedLevels", value: "\(maxBufferedLevels)", reason: "must be > 0")
        }
    }
}

/// What a synchronizer does when its book becomes crossed or locked (best bid >= best ask).
public enum CrossedBookPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Report it (`.crossed`) and keep the book: for venues whose books may legitimately cross.
    case report
    /// Report it, then discard the book and resynchronize: on a spot venue with one matching
    /// engine a crossed local book means it is wrong.
    case resync
}

/// Why a synchronizer asks for a snapshot or discards its book; a stable code for logs and metrics.
public enum BookResyncReason: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// First synchronization after start or after a reconnect.
    case initial
    /// The snapshot's `lastUpdateId` is below the first buffered diff's `U`.
    case snapshotTooOld = "snapshot_too_old"
    /// A diff's `U` is past the book's update id + 1: diffs were missed.
    case gap
    /// Too many diffs or levels buffered while waiting for a snapshot.
    case bufferOverflow = "buffer_overflow"
    /// A diff or snapshot that cannot be applied (reversed update ids, bad price or size).
    case invalidInput = "invalid_input"
    /// The book became crossed or locked under `CrossedBookPolicy.resync`.
    case crossed
    /// The host lost the stream.
    case disconnected

    public var description: String { rawValue }
}

/// A diff or snapshot a synchronizer refuses.
public enum DepthInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A diff whose first update id is above its final one.
    case reversedUpdateIds(first: UInt64, final: UInt64)
    /// A diff with a level the book refuses.
    case diffLevel(OrderBookError)
    /// A snapshot with a level the book refuses (or a price twice).
    case snapshotLevel(OrderBookError)

    public var description: String {
        switch self {
        case .reversedUpdateIds(let first, let final):
            return "depth diff has first update id \(first) above final update id \(final)"
        case .diffLevel(let error):
            return "depth diff refused: \(error)"
        case .snapshotLevel(let error):
            return "depth snapshot refused: \(error)"
        }
    }
}
