import Foundation

/// What `tradewind data validate` found: every check's count with its first examples, the book's
/// snapshots and resyncs, and whether the dataset passed. Written as `validation.json`.
public struct ValidationReport: Sendable, Hashable, Codable {
    /// One occurrence: the record's index in the dataset (from 0), its time and instrument.
    public struct Example: Sendable, Hashable, Codable {
        public var record: Int64
        public var timeNs: Int64
        public var instrument: String
        public var detail: String

        public init(record: Int64, timeNs: Int64, instrument: String, detail: String) {
            self.record = record
            self.timeNs = timeNs
            self.instrument = instrument
            self.detail = detail
        }

        enum CodingKeys: String, CodingKey {
            case record, instrument, detail
            case timeNs = "time_ns"
        }
    }

    /// How often a check fired, and its first examples.
    public struct Finding: Sendable, Hashable, Codable {
        public var count: Int64 = 0
        public var examples: [Example] = []

        public init() {}
    }

    /// Book updates seen: snapshots after an instrument's first are resyncs (not failures).
    public struct Books: Sendable, Hashable, Codable {
        public var updates: Int64 = 0
        public var snapshots: Int64 = 0
        public var resyncs: Int64 = 0

        public init() {}
    }

    public var format = "tradewind.validation"
    public var version = 1
    public var dataset: String
    public var contentHash: String
    public var passed: Bool
    /// Records read; all of them unless `unreadable` fired.
    public var records: Int64
    /// Gaps longer than this (per instrument) fail `time_gap`; 0: not checked.
    public var maxGapMs: Int64
    /// Every check by its code, quiet ones with count 0.
    public var checks: [String: Finding]
    public var books: Books

    public init(dataset: String, contentHash: String, records: Int64, maxGapMs: Int64, checks: [ValidationCheck: Finding], books: Books) {
        self.dataset = dataset
        self.contentHash = contentHash
        self.records = records
        self.maxGapMs = maxGapMs
        self.books = books
        var all: [String: Finding] = [:]
        for check in ValidationCheck.allCases { all[check.rawValue] = checks[check] ?? Finding() }
        self.checks = all
        passed = all.values.allSatisfy { $0.count == 0 }
    }

    /// The checks that fired, in `ValidationCheck` order.
    public var failures: [(check: ValidationCheck, finding: Finding)] {
        ValidationCheck.allCases.compactMap { check in
            guard let finding = checks[check.rawValue], finding.count > 0 else { return nil }
            return (check, finding)
        }
    }

    /// The report as indented JSON with sorted keys.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    /// The report in `file`, or nil when there is none or it does not decode.
    public static func load(_ file: String) -> ValidationReport? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        return try? JSONDecoder().decode(ValidationReport.self, from: data)
    }

    /// `validation.json`: the report's name beside a promoted or quarantined dataset's manifest.
    public static let fileName = "validation.json"

    enum CodingKeys: String, CodingKey {
        case format, version, dataset, passed, records, checks, books
        case contentHash = "content_hash"
        case maxGapMs = "max_gap_ms"
    }
}
