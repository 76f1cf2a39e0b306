/// How a daemon's write-behind writer connects, journals, batches, syncs and retries.
public struct WriteBehindConfiguration: Sendable, Equatable {
    /// libpq connection URL.
    public var url: String
    /// Directory of the journal (spool) files; one writer per directory.
    public var journalDirectory: String
    /// The daemon's store name (usually its schema): log metadata and the metrics label.
    public var name: String
    /// Records held in memory for the writer; past it, records are read back from the journal.
    public var queueCapacity = 65_536
    /// Bytes of records held in memory, the same way.
    public var queueMemoryLimit = 64 << 20
    /// Records per transaction.
    public var batchSize = 1_000
    /// How long the writer waits for a batch to fill before writing what it has.
    public var flushInterval: Duration = .milliseconds(20)
    /// fdatasync the journal after this many records ...
    public var fsyncEvery = 256
    /// ... or this long after the oldest unsynced record, whichever comes first.
    public var fsyncInterval: Duration = .milliseconds(50)
    /// First delay before retrying after a database failure; doubles up to `retryMaximum`.
    public var retryMinimum: Duration = .milliseconds(100)
    public var retryMaximum: Duration = .seconds(5)
    /// `isBacklogged` (for /ready) when more records than this await a commit.
    public var backlogReadyThreshold = 100_000
    /// A journal segment past this size is sealed and a new one started; sealed segments are
    /// deleted once the checkpoint passes them.
    public var segmentBytes = 64 << 20

    public init(url: String, journalDirectory: String, name: String) {
        self.url = url
        self.journalDirectory = journalDirectory
        self.name = name
    }

    /// Rejects values the writer cannot work with, naming the key.
    public func validate() throws(StoreError) {
        func positive(_ key: String, _ value: Int) throws(StoreError) {
            guard value > 0 else { throw .invalidConfiguration(key: key, reason: "must be positive, got \(value)") }
        }
        func positive(_ key: String, _ value: Duration) throws(StoreError) {
            guard value > .zero else { throw .invalidConfiguration(key: key, reason: "must be positive, got \(value)") }
        }
        guard !url.isEmpty else { throw .invalidConfiguration(key: "url", reason: "is empty") }
        guard !journalDirectory.isEmpty else { throw .invalidConfiguration(key: "journalDirectory", reason: "is empty") }
        guard !name.isEmpty else { throw .invalidConfiguration(key: "name", reason: "is empty") }
        try positive("queueCapacity", queueCapacity)
        try positive("queueMemoryLimit", queueMemoryLimit)
        try positive("batchSize", batchSize)
        try positive("fsyncEvery", fsyncEvery)
        try positive("backlogReadyThreshold", backlogReadyThreshold)
        try positive("segmentBytes", segmentBytes)
        try positive("flushInterval", flushInterval)
        try positive("fsyncInterval", fsyncInterval)
        try positive("retryMinimum", retryMinimum)
        guard retryMaximum >= retryMinimum else {
            throw .invalidConfiguration(key: "retryMaximum", reason: "\(retryMaximum) is below retryMinimum \(retryMinimum)")
        }
    }
}
