import TradewindCore

/// `manifest.json`: what a dataset holds (instruments, time range, counts), its segments with their
/// SHA-256, and whether the writer finished it. Field names are the JSON's (docs/DATASETS.md).
public struct DatasetManifest: Sendable, Hashable, Codable {
    /// One instrument of the dataset; records refer to it by `index`.
    public struct InstrumentEntry: Sendable, Hashable, Codable {
        public var index: Int
        public var id: String
        public var base: String
        public var quote: String
        /// Decimal strings, exact.
        public var tickSize: String
        public var lotSize: String
        public var minQuantity: String
        /// Fixed-point scale of every price and quantity of this instrument's records (8).
        public var scale: Int

        public init(index: Int, instrument: Instrument) {
            self.index = index
            id = instrument.id.description
            base = instrument.baseAsset
            quote = instrument.quoteAsset
            tickSize = instrument.tickSize.description
            lotSize = instrument.lotSize.description
            minQuantity = instrument.minQuantity.description
            scale = DatasetFormat.scale
        }

        enum CodingKeys: String, CodingKey {
            case index, id, base, quote, scale
            case tickSize = "tick_size"
            case lotSize = "lot_size"
            case minQuantity = "min_quantity"
        }
    }

    /// First and last stream time (0 and 0 for a dataset without events).
    public struct TimeRange: Sendable, Hashable, Codable {
        public var firstNs: Int64
        public var lastNs: Int64

        public init(firstNs: Int64, lastNs: Int64) {
            self.firstNs = firstNs
            self.lastNs = lastNs
        }

        enum CodingKeys: String, CodingKey {
            case firstNs = "first_ns"
            case lastNs = "last_ns"
        }
    }

    /// Events and records by kind. `events` counts `MarketEvent`s (a book update or a bar is one
    /// event over several records); `records` counts 48-byte records.
    public struct Counts: Sendable, Hashable, Codable {
        public var quote: Int64 = 0
        public var trade: Int64 = 0
        public var bookLevel: Int64 = 0
        public var bookUpdate: Int64 = 0
        public var bar: Int64 = 0
        public var events: Int64 = 0
        public var records: Int64 = 0

        public init() {}

        enum CodingKeys: String, CodingKey {
            case quote, trade, bar, events, records
            case bookLevel = "book_level"
            case bookUpdate = "book_update"
        }
    }

    /// One segment file as the writer last described it.
    public struct Segment: Sendable, Hashable, Codable {
        public var file: String
        public var records: Int64
        public var bytes: Int64
        public var firstNs: Int64
        public var lastNs: Int64
        /// Lowercase hex SHA-256 of the file's `bytes` bytes.
        public var sha256: String

        public init(file: String, records: Int64, bytes: Int64, firstNs: Int64, lastNs: Int64, sha256: String) {
            self.file = file
            self.records = records
            self.bytes = bytes
            self.firstNs = firstNs
            self.lastNs = lastNs
            self.sha256 = sha256
        }

        enum CodingKeys: String, CodingKey {
            case file, records, bytes, sha256
            case firstNs = "first_ns"
            case lastNs = "last_ns"
        }
    }

    public var format: String = DatasetFormat.name
    public var version: Int = Int(DatasetFormat.version)
    public var recordSize: Int = DatasetFormat.recordSize
    public var blockRecords: Int = DatasetFormat.blockRecords
    /// False while a recording runs or after it crashed: the last segment may end in a torn block.
    public var complete: Bool = false
    public var instruments: [InstrumentEntry]
    public var timeRange = TimeRange(firstNs: 0, lastNs: 0)
    public var counts = Counts()
    public var segments: [Segment] = []
    /// SHA-256 (hex) over the concatenated 32-byte SHA-256 digests of the segments, in order.
    public var contentHash: String = ""
    /// Where the events came from: free-form (e.g. `{"kind": "synthetic", "seed": 42}`).
    public var source: [String: DatasetJSON]
    public var createdNs: Int64

    public init(instruments: [Instrument], source: [String: DatasetJSON], createdNs: Int64) {
        self.instruments = instruments.enumerated().map { InstrumentEntry(index: $0.offset, instrument: $0.element) }
        self.source = source
        self.createdNs = createdNs
    }

    enum CodingKeys: String, CodingKey {
        case format, version, complete, instruments, counts, segments, source
        case recordSize = "record_size"
        case blockRecords = "block_records"
        case timeRange = "time_range"
        case contentHash = "content_hash"
        case createdNs = "created_ns"
    }
}
