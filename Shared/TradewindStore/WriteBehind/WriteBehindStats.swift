/// A snapshot of a write-behind writer, for /ready, /v1/info and tests.
public struct WriteBehindStats: Sendable, Equatable {
    /// Records in the in-memory queue (bounded by `queueCapacity`).
    public var queueDepth = 0
    /// Records journaled but not yet committed (in memory or only in the journal).
    public var pendingRecords: UInt64 = 0
    /// Journal bytes after the checkpoint: the spool.
    public var journalBytesPending: UInt64 = 0
    /// Records committed (replays included).
    public var recordsWritten: UInt64 = 0
    /// Records the database refused for their data (constraint, type); kept in `rejected.jsonl`.
    public var recordsRejected: UInt64 = 0
    /// Failed connection attempts and failed transactions.
    public var writeErrors: UInt64 = 0
    public var lastError: String?
    public var databaseReachable = false
    public var lastWriteLatency: Duration?
    /// Records found after the checkpoint at start-up (replayed before anything new).
    public var replayedRecords: UInt64 = 0
    /// Journal bytes ignored as torn tails or corruption, and the frames involved.
    public var tornBytesSkipped: UInt64 = 0
    public var tornFramesSkipped: UInt64 = 0
    public var running = false

    public init() {}
}
