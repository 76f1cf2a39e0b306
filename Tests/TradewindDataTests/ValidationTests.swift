import Foundation
import Testing
import TradewindCore
@testable import TradewindData

/// Every check fires on a dataset with that one fault and stays quiet on a sound one.
@Suite struct ValidationTests {
    typealias F = DatasetFixtures

    /// Records of a sound two-instrument stream: quotes, trades, a book snapshot and a delta.
    static func sound() -> [DatasetRecord] {
        let first = DatasetRecord.Flag.firstLevel, last = DatasetRecord.Flag.lastLevel, snapshot = DatasetRecord.Flag.snapshot, ask = DatasetRecord.Flag.ask
        return [
            DatasetRecord(timeNs: 1_000, kind: .quote, instrument: 0, 100_00, 5, 101_00, 5),
            DatasetRecord(timeNs: 1_000, kind: .trade, instrument: 0, 101_00, 2, 7),
            DatasetRecord(timeNs: 2_000, kind: .bookLevel, flags: snapshot | first, instrument: 0, 100_00, 5, 1),
            DatasetRecord(timeNs: 2_000, kind: .bookLevel, flags: snapshot | ask | last, instrument: 0, 101_00, 5, 1),
            DatasetRecord(timeNs: 3_000, kind: .trade, instrument: 1, 50_00, 1, 7),
            DatasetRecord(timeNs: 4_000, kind: .bookLevel, flags: first, instrument: 0, 100_00, 0, 2),
            DatasetRecord(timeNs: 4_000, kind: .bookLevel, flags: last, instrument: 0, 99_00, 3, 2),
            DatasetRecord(timeNs: 5_000, kind: .trade, instrument: 0, 100_00, 1, 8),
            DatasetRecord(timeNs: 5_000, kind: .bar, instrument: 1, aux: 60, 50_00, 51_00, 49_00, 50_00),
            DatasetRecord(timeNs: 5_000, kind: .barContinuation, instrument: 1, aux: 60, 0, 0, 0),
        ]
    }

    static func validate(_ records: [DatasetRecord], maxGapNs: Int64 = 1_000_000) -> ValidationReport {
        var validator = DatasetValidator(instruments: ["T:A", "T:B"], options: .init(maxGapNs: maxGapNs, examples: 3))
        for (index, record) in records.enumerated() { validator.apply(record, index: Int64(index)) }
        var manifest = DatasetManifest(instruments: [], source: [:], createdNs: 0)
        manifest.complete = true
        return validator.report(dataset: "test", manifest: manifest)
    }

    static func count(_ report: ValidationReport, _ check: ValidationCheck) -> Int64 {
        report.checks[check.rawValue]?.count ?? -1
    }

    @Test func aSoundStreamPassesEveryCheck() {
        let report = Self.validate(Self.sound())
        #expect(report.passed && report.failures.isEmpty && report.records == 10)
        #expect(report.checks.count == ValidationCheck.allCases.count)
        #expect(report.books == { var books = ValidationReport.Books(); books.updates = 2; books.snapshots = 1; return books }())
    }

    /// (check, a change to the sound records that must set it off, and only it)
    static let faults: [(ValidationCheck, @Sendable (inout [DatasetRecord]) -> Void)] = [
        (.monotonicTime, { $0[7].timeNs = 900 }),
        (.bookSequence, { $0[5].value2 = 3; $0[6].value2 = 3 }),
        (.bookSequence, { $0.removeSubrange(2...3) }),
        (.crossedBook, { $0[6].value0 = 101_00 }),
        (.crossedQuote, { $0[0].value0 = 101_00 }),
        (.nonPositivePrice, { $0[1].value0 = 0 }),
        (.nonPositivePrice, { $0[8].value2 = -1 }),
        (.nonPositiveSize, { $0[0].value3 = 0 }),
        (.nonPositiveSize, { $0[2].value1 = 0 }),
        (.nonPositiveSize, { $0[9].value0 = -5 }),
        (.duplicateTradeId, { $0[7].value2 = 7 }),
        (.timeGap, { for index in 5..<$0.count { $0[index].timeNs += 2_000_000 } }),
    ]

    @Test(arguments: 0..<faults.count)
    func eachCheckFiresOnItsFaultAlone(fault: Int) {
        let (check, change) = Self.faults[fault]
        var records = Self.sound()
        change(&records)
        let report = Self.validate(records)
        #expect(!report.passed)
        #expect(report.failures.map(\.check) == [check], "\(report.failures.map { ($0.check, $0.finding.examples) })")
        let example = report.checks[check.rawValue]!.examples[0]
        #expect(example.instrument == "T:A" || example.instrument == "T:B")
        #expect(records[Int(example.record)].timeNs == example.timeNs)
    }

    @Test func aLockedQuoteAndADeltaBeforeAnySnapshotSayWhatTheyAre() {
        var records = Self.sound()
        records[0].value0 = 101_00
        records.removeSubrange(2...3)
        let report = Self.validate(records)
        #expect(report.checks["crossed_quote"]!.examples[0].detail == "locked: bid 0.000101 ask 0.000101")
        #expect(report.checks["book_sequence"]!.examples[0].detail == "delta update 2 before any snapshot")
    }

    @Test func aSecondSnapshotIsAResyncNotAFailure() {
        var records = Self.sound()
        records[5].flags |= DatasetRecord.Flag.snapshot
        records[5].value1 = 4
        records[6].flags |= DatasetRecord.Flag.snapshot
        let report = Self.validate(records)
        #expect(report.passed && report.books.snapshots == 2 && report.books.resyncs == 1)
    }

    @Test func theGapCheckIsOffAtZero() {
        var records = Self.sound()
        for index in 5..<records.count { records[index].timeNs += 2_000_000 }
        #expect(Self.validate(records, maxGapNs: 0).passed)
    }

    @Test func tradeIdsAreRangesAndDuplicatesAreFoundBelowTheHighest() {
        var ids = TradeIdSet()
        #expect((1...1000).allSatisfy { ids.insert(Int64($0)) } && ids.rangeCount == 1)
        #expect(ids.insert(2000) && ids.insert(1500) && ids.rangeCount == 3)
        #expect(!ids.insert(500) && !ids.insert(1500) && !ids.insert(2000))
        #expect(ids.insert(1001) && ids.insert(1499) && ids.rangeCount == 3)
        #expect((1002...1498).allSatisfy { ids.insert(Int64($0)) } && ids.rangeCount == 2)
        #expect(ids.insert(-5) && !ids.insert(-5) && ids.rangeCount == 3)
    }

    @Test func theValidationBookKeepsBestBidAndAskThroughInsertsChangesAndRemovals() {
        var book = ValidationBook()
        for price in [100, 98, 99] as [Int64] { book.set(ask: false, price: price, size: 1) }
        for price in [103, 101, 102] as [Int64] { book.set(ask: true, price: price, size: 1) }
        #expect(book.bestBid == 100 && book.bestAsk == 101)
        book.set(ask: false, price: 100, size: 0)
        book.set(ask: true, price: 101, size: 0)
        book.set(ask: true, price: 104, size: 0)
        #expect(book.bestBid == 99 && book.bestAsk == 102 && book.depth.bids == 2 && book.depth.asks == 2)
        book.clear()
        #expect(book.bestBid == nil && book.bestAsk == nil)
    }

    @Test func aWrittenDatasetValidatesAndACorruptOneIsUnreadable() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        try F.write(F.quotes(100), to: directory)
        let report = try DatasetValidation.run(directory: directory)
        #expect(report.passed && report.records == 100 && report.dataset == directory)
        #expect(report.contentHash == (try DatasetManifest.load(directory: directory)).contentHash)

        let segment = directory + "/" + DatasetFormat.segmentFileName(1)
        try F.patch(segment, at: 64 + 16 + 48 * 3 + 20, [0xFF])
        let corrupt = try DatasetValidation.run(directory: directory)
        #expect(corrupt.failures.map(\.check) == [.unreadable])
        #expect(corrupt.checks["unreadable"]!.examples[0].detail.contains("CRC mismatch"))
        #expect(throws: DatasetError.self) { try DatasetValidation.run(directory: directory + "-missing") }
    }

    @Test func anIncompleteDatasetFails() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        try F.write(F.quotes(10), to: directory, finish: false)
        #expect(try DatasetValidation.run(directory: directory).failures.map(\.check) == [.incomplete])
    }

    @Test func theReportRoundTripsThroughJSON() throws {
        var records = Self.sound()
        records[0].value0 = 101_00
        let report = Self.validate(records)
        let decoded = try JSONDecoder().decode(ValidationReport.self, from: report.json())
        #expect(decoded == report)
        let object = try JSONSerialization.jsonObject(with: report.json()) as! [String: Any]
        #expect(object["passed"] as? Bool == false && object["max_gap_ms"] as? Int == 1)
        let crossed = (object["checks"] as! [String: Any])["crossed_quote"] as! [String: Any]
        #expect(crossed["count"] as? Int == 1 && ((crossed["examples"] as! [[String: Any]])[0]["time_ns"] as? Int) == 1_000)
    }
}
