import Foundation
import Logging
import Testing
@testable import TradewindStore

@Suite struct JournalTests {
    static let record = PersistedRecord(
        table: "exec.orders", columns: ["id", "qty", "px", "live", "raw", "at", "note"],
        values: [.text("o-1 '; DROP 🚀"), .int(-42), .numeric("-0.00000001"), .bool(true), .bytes([0, 255, 0x5c]),
                 .timestampNs(-1), nil],
        conflict: .update(key: ["id"]))

    @Test func recordsSurviveTheBinaryCodec() throws {
        let frame = RecordCodec.frame(Self.record)
        let decoded = try frame.withUnsafeBytes { raw in
            guard case .frame(let payload, let length) = JournalFrame.parse(raw, at: 0) else { throw Failure() }
            #expect(length == frame.count)
            return try RecordCodec.decode(UnsafeRawBufferPointer(rebasing: raw[payload]))
        }
        #expect(decoded == Self.record)
    }

    @Test func aFlippedBitFailsTheCRC() {
        var frame = RecordCodec.frame(Self.record)
        frame[frame.count / 2] ^= 0x10
        let parsed = frame.withUnsafeBytes { JournalFrame.parse($0, at: 0) }
        guard case .corrupt = parsed else { Issue.record("expected corrupt, got \(parsed)"); return }
    }

    @Test(arguments: [1, 7, 8, 20])
    func aCutFrameIsIncomplete(keep: Int) {
        let frame = Array(RecordCodec.frame(Self.record).prefix(keep))
        let parsed = frame.withUnsafeBytes { JournalFrame.parse($0, at: 0) }
        guard case .incomplete = parsed else { Issue.record("expected incomplete, got \(parsed)"); return }
    }

    @Test func zeroFilledTailsAreNotFrames() {
        let zeros = [UInt8](repeating: 0, count: 64)
        let parsed = zeros.withUnsafeBytes { JournalFrame.parse($0, at: 0) }
        guard case .corrupt = parsed else { Issue.record("expected corrupt, got \(parsed)"); return }
    }

    @Test func reopeningFindsAppendedRecordsAndIgnoresATornTail() throws {
        let directory = WriterHarness.makeJournalDirectory()
        defer { WriterHarness.removeDirectory(directory) }
        let logger = TestDatabase.logger
        let frames = (0..<10).map { _ in RecordCodec.frame(Self.record) }
        do {
            let (journal, recovery) = try WriteBehindJournal.open(directory: directory, logger: logger)
            #expect(recovery.pendingRecords == 0)
            for frame in frames { _ = try journal.append(frame) }
            #expect(throws: StoreError.journalLocked(path: directory)) {
                _ = try WriteBehindJournal.open(directory: directory, logger: logger)
            }
            journal.close()
        }
        let segment = "\(directory)/segment-00000000000000000001.wal"
        let handle = try #require(FileHandle(forWritingAtPath: segment))
        handle.seekToEndOfFile()
        handle.write(Data(frames[0].prefix(frames[0].count / 2)))
        handle.closeFile()

        let (journal, recovery) = try WriteBehindJournal.open(directory: directory, logger: logger)
        defer { journal.close() }
        #expect(recovery.pendingRecords == 10)
        #expect(recovery.pendingBytes == UInt64(frames.reduce(0) { $0 + $1.count }))
        #expect(recovery.tornBytes == UInt64(frames[0].count / 2))
        #expect(journal.end == JournalPosition(segment: 2, offset: 0))
        let reader = JournalReader(journal: journal, logger: logger)
        let (entries, next) = try reader.read(from: journal.checkpoint, limit: journal.end, maxRecords: 100)
        #expect(entries.count == 10)
        #expect(entries.allSatisfy { $0.record == Self.record })
        #expect(next == journal.end)
    }

    @Test func theCheckpointSkipsCommittedRecordsAndSurvivesReopening() throws {
        let directory = WriterHarness.makeJournalDirectory()
        defer { WriterHarness.removeDirectory(directory) }
        let frame = RecordCodec.frame(Self.record)
        do {
            let (journal, _) = try WriteBehindJournal.open(directory: directory, logger: TestDatabase.logger)
            var ends: [JournalPosition] = []
            for _ in 0..<6 { ends.append(try journal.append(frame)) }
            try journal.saveCheckpoint(ends[3])
            journal.close()
        }
        let (journal, recovery) = try WriteBehindJournal.open(directory: directory, logger: TestDatabase.logger)
        defer { journal.close() }
        #expect(recovery.pendingRecords == 2)
        #expect(recovery.tornBytes == 0)
        #expect(journal.checkpoint == JournalPosition(segment: 1, offset: UInt64(frame.count * 4)))
        #expect(journal.end == JournalPosition(segment: 1, offset: UInt64(frame.count * 6)))
    }

    struct Failure: Error {}
}
