import Testing
import TradewindCore
@testable import TradewindData

@Suite struct SegmentTests {
    typealias F = DatasetFixtures
    static let block = DatasetFormat.blockRecords

    @Test func rotatesSegmentsAtTheConfiguredSizeAndReadsAcrossThem() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        let events = F.quotes(5 * Self.block + 10)
        let manifest = try F.write(events, to: directory, segmentBytes: F.segmentBytes(blocks: 2)).manifest
        #expect(manifest.segments.map(\.file) == ["seg-000001.twd", "seg-000002.twd", "seg-000003.twd"])
        #expect(manifest.segments.map(\.records) == [2 * Int64(Self.block), 2 * Int64(Self.block), Int64(Self.block) + 10])
        #expect(manifest.segments.map(\.bytes) == [F.blockOffset(2), F.blockOffset(2), F.blockOffset(1) + F.blockSize(10)])
        #expect(manifest.segments[1].firstNs == events[2 * Self.block].timeNs)
        for segment in manifest.segments { #expect(F.size(directory + "/" + segment.file) == segment.bytes) }
        #expect(try F.readAll(directory) == events)
        #expect(try F.readAll(directory, verification: .blockChecksums) == events)
    }

    @Test func aBookUpdateSplitAcrossSegmentsReadsBackWhole() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        let levels = (0..<10).map { BookLevel(price: Price(units: 100 + Int64($0)), size: Quantity(units: 1)) }
        let book = MarketEvent.book(BookUpdate(instrument: F.ethId, snapshot: true, bids: levels, asks: levels, timeNs: F.baseNs + 10_000))
        let events = F.quotes(Self.block - 5) + [book, F.quote(20_000)]
        let manifest = try F.write(events, to: directory, segmentBytes: F.segmentBytes(blocks: 1)).manifest
        #expect(manifest.segments.count == 2)
        #expect(try F.readAll(directory) == events)
    }

    @Test func aFlippedByteFailsItsBlockCRCNamingFileAndOffset() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        try F.write(F.quotes(4 * Self.block), to: directory, segmentBytes: F.segmentBytes(blocks: 2))
        let path = directory + "/seg-000002.twd"
        let target = F.blockOffset(1) + 16 + 100 * 48 + 20
        try F.patch(path, at: target, [try F.byte(path, at: target) ^ 0x01])
        #expect {
            _ = try F.readAll(directory)
        } throws: { error in
            guard case .crcMismatch(let file, let offset, _, _) = error as? DatasetError else { return false }
            return file == "seg-000002.twd" && offset == F.blockOffset(1)
        }
        let message = "\(DatasetError.crcMismatch(file: "seg-000003.twd", offset: 1_234_560, expected: 1, computed: 2))"
        #expect(message.hasPrefix("seg-000003.twd: block at byte 1 234 560: CRC mismatch"))
    }

    @Test func aTruncatedSegmentOfACompleteDatasetIsAnErrorNamingTheBlock() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        try F.write(F.quotes(2 * Self.block + 100), to: directory)
        let path = directory + "/seg-000001.twd"
        F.truncate(path, to: F.blockOffset(2))
        #expect(throws: DatasetError.truncated(file: "seg-000001.twd", offset: F.blockOffset(2), reason: "the block header at byte 393 312 needs 16 bytes")) {
            _ = try F.readAll(directory, verification: .blockChecksums)
        }
        F.truncate(path, to: F.blockOffset(1) + 5_000)
        #expect(throws: DatasetError.truncated(file: "seg-000001.twd", offset: F.blockOffset(1) + 5_000, reason: "the block at byte 196 688 needs 196624 bytes")) {
            _ = try F.readAll(directory)
        }
    }

    @Test func bytesBehindACompleteSegmentAreAnError() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        try F.write(F.quotes(10), to: directory)
        try F.append(directory + "/seg-000001.twd", [1, 2, 3])
        #expect(throws: DatasetError.trailingBytes(file: "seg-000001.twd", offset: 64 + F.blockSize(10), count: 3)) {
            _ = try F.readAll(directory)
        }
    }

    @Test func aChangedHeaderByteFailsTheSegmentHash() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        let manifest = try F.write(F.quotes(10), to: directory).manifest
        try F.patch(directory + "/seg-000001.twd", at: 40, [7])
        #expect {
            _ = try F.readAll(directory)
        } throws: { error in
            guard case .hashMismatch(let file, let expected, _) = error as? DatasetError else { return false }
            return file == "seg-000001.twd" && expected == manifest.segments[0].sha256
        }
        #expect(try F.readAll(directory, verification: .blockChecksums).count == 10)
    }

    @Test func aRecordOfUnknownKindOrInstrumentIsNamedByOffset() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        try F.write(F.quotes(10), to: directory)
        let path = directory + "/seg-000001.twd"
        try rewriteRecord(path, index: 3) { $0[8] = 9 }
        #expect(throws: DatasetError.unknownKind(file: "seg-000001.twd", offset: 64 + 16 + 3 * 48, kind: 9)) {
            _ = try F.readAll(directory, verification: .blockChecksums)
        }
        try rewriteRecord(path, index: 3) { $0[8] = 1; $0[10] = 2 }
        #expect(throws: DatasetError.instrumentOutOfRange(file: "seg-000001.twd", offset: 64 + 16 + 3 * 48, index: 2, count: 2)) {
            _ = try F.readAll(directory, verification: .blockChecksums)
        }
    }

    /// Changes record `index` of the first block and fixes the block's CRC, as a writer bug would.
    private func rewriteRecord(_ path: String, index: Int, _ change: (inout [UInt8]) -> Void) throws {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let count = Int(data[68]) | Int(data[69]) << 8
        var records = Array(data[80..<(80 + count * 48)])
        var record = Array(records[(index * 48)..<(index * 48 + 48)])
        change(&record)
        records.replaceSubrange((index * 48)..<(index * 48 + 48), with: record)
        let crc = DatasetCRC32.checksum(records)
        try F.patch(path, at: 80, records)
        try F.patch(path, at: 72, withUnsafeBytes(of: crc.littleEndian, Array.init))
    }
}

import Foundation
