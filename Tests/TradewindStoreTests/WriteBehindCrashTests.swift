import Foundation
import Testing
@testable import TradewindStore

/// A `kill -9` is simulated with `simulateCrash()`: the writer thread stops after its current
/// step with no flush, no checkpoint and no fsync, and releases the journal's lock.
@Suite struct WriteBehindCrashTests {
    private func start(_ url: String, _ directory: String) throws -> WriteBehindWriter {
        let writer = WriteBehindWriter(
            configuration: WriterHarness.configuration(url: url, journal: directory), logger: TestDatabase.logger)
        try writer.start()
        return writer
    }

    @Test func recordsJournaledBeforeACrashAreReplayedOnTheNextStart() async throws {
        let url = try await TestDatabase.onThread { try TestDatabase.url() }
        try await TestDatabase.withSchema(WriterHarness.tables) { schema async throws in
            let directory = WriterHarness.makeJournalDirectory()
            defer { WriterHarness.removeDirectory(directory) }
            let crashed = try start(WriterHarness.unreachableURL, directory)
            for seq in 0..<2_000 { try crashed.enqueue(WriterHarness.event(schema, seq)) }
            #expect(crashed.stats.pendingRecords == 2_000)
            #expect(!crashed.stats.databaseReachable)
            crashed.simulateCrash()

            let restarted = try start(url, directory)
            #expect(restarted.stats.replayedRecords == 2_000)
            #expect(await restarted.flushed(timeout: .seconds(20)))
            #expect(try await WriterHarness.events(schema) == .init(count: 2_000, distinct: 2_000, minimum: 0, maximum: 1_999, outOfOrder: 0))
            #expect(try await WriterHarness.stop(restarted))
        }
    }

    @Test func replayingRecordsCommittedBeforeTheCheckpointNeverDuplicates() async throws {
        let url = try await TestDatabase.onThread { try TestDatabase.url() }
        try await TestDatabase.withSchema(WriterHarness.tables) { schema async throws in
            let directory = WriterHarness.makeJournalDirectory()
            defer { WriterHarness.removeDirectory(directory) }
            let crashed = try start(url, directory)
            crashed.disableCheckpoints()
            for seq in 0..<3_000 {
                try crashed.enqueue(WriterHarness.event(schema, seq))
                try crashed.enqueue(WriterHarness.position(schema, "acct", "X", qty: "\(seq)", at: Int64(seq)))
            }
            #expect(await crashed.flushed(timeout: .seconds(20)))
            crashed.simulateCrash()

            let restarted = try start(url, directory)
            #expect(restarted.stats.replayedRecords == 6_000)
            #expect(await restarted.flushed(timeout: .seconds(20)))
            #expect(restarted.stats.recordsWritten == 6_000)
            #expect(try await WriterHarness.events(schema) == .init(count: 3_000, distinct: 3_000, minimum: 0, maximum: 2_999, outOfOrder: 0))
            #expect(try await WriterHarness.positions(schema) == ["acct/X": "2999"])
            #expect(try await WriterHarness.stop(restarted))

            let third = try start(url, directory)
            #expect(third.stats.replayedRecords == 0)
            #expect(try await WriterHarness.stop(third))
        }
    }

    @Test func aTornJournalTailIsIgnoredReportedAndLeavesEarlierRecordsIntact() async throws {
        let url = try await TestDatabase.onThread { try TestDatabase.url() }
        try await TestDatabase.withSchema(WriterHarness.tables) { schema async throws in
            let directory = WriterHarness.makeJournalDirectory()
            defer { WriterHarness.removeDirectory(directory) }
            let crashed = try start(WriterHarness.unreachableURL, directory)
            for seq in 0..<100 { try crashed.enqueue(WriterHarness.event(schema, seq)) }
            crashed.simulateCrash()

            // Half of one more frame, as a crash in the middle of write(2) would leave it.
            let frame = RecordCodec.frame(WriterHarness.event(schema, 100))
            let segment = "\(directory)/\(try #require(WriterHarness.segmentFiles(directory).last))"
            let handle = try #require(FileHandle(forWritingAtPath: segment))
            handle.seekToEndOfFile()
            handle.write(Data(frame.prefix(frame.count / 2)))
            handle.closeFile()

            let restarted = try start(url, directory)
            #expect(restarted.stats.replayedRecords == 100)
            #expect(restarted.stats.tornBytesSkipped == UInt64(frame.count / 2))
            #expect(restarted.stats.tornFramesSkipped == 1)
            for seq in 101..<200 { try restarted.enqueue(WriterHarness.event(schema, seq)) }
            #expect(await restarted.flushed(timeout: .seconds(20)))
            let summary = try await WriterHarness.events(schema)
            #expect(summary.count == 199)
            #expect(summary.distinct == 199)
            #expect(summary.outOfOrder == 1)  // the gap where seq 100 was torn off
            #expect(try await WriterHarness.stop(restarted))

            let third = try start(url, directory)
            #expect(third.stats.tornBytesSkipped == 0)
            #expect(third.stats.replayedRecords == 0)
            #expect(try await WriterHarness.stop(third))
        }
    }

    @Test func garbageAppendedToTheJournalIsIgnored() async throws {
        let url = try await TestDatabase.onThread { try TestDatabase.url() }
        try await TestDatabase.withSchema(WriterHarness.tables) { schema async throws in
            let directory = WriterHarness.makeJournalDirectory()
            defer { WriterHarness.removeDirectory(directory) }
            let crashed = try start(WriterHarness.unreachableURL, directory)
            for seq in 0..<50 { try crashed.enqueue(WriterHarness.event(schema, seq)) }
            crashed.simulateCrash()
            let segment = "\(directory)/\(try #require(WriterHarness.segmentFiles(directory).last))"
            let handle = try #require(FileHandle(forWritingAtPath: segment))
            handle.seekToEndOfFile()
            handle.write(Data((0..<333).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }))
            handle.closeFile()

            let restarted = try start(url, directory)
            #expect(restarted.stats.replayedRecords == 50)
            #expect(restarted.stats.tornBytesSkipped == 333)
            #expect(await restarted.flushed(timeout: .seconds(20)))
            #expect(try await WriterHarness.events(schema) == .init(count: 50, distinct: 50, minimum: 0, maximum: 49, outOfOrder: 0))
            #expect(try await WriterHarness.stop(restarted))
        }
    }

    @Test func aJournaledRecordThatNoLongerValidatesIsSetAsideOnReplay() async throws {
        let url = try await TestDatabase.onThread { try TestDatabase.url() }
        try await TestDatabase.withSchema(WriterHarness.tables) { schema async throws in
            let directory = WriterHarness.makeJournalDirectory()
            defer { WriterHarness.removeDirectory(directory) }
            do {
                let (journal, _) = try WriteBehindJournal.open(directory: directory, logger: TestDatabase.logger)
                let stale = PersistedRecord(table: "\(schema).events", columns: ["seq", "payload"], values: [.int(1)], conflict: .ignore(key: ["seq"]))
                for record in [WriterHarness.event(schema, 0), stale, WriterHarness.event(schema, 2)] {
                    _ = try journal.append(RecordCodec.frame(record))
                }
                journal.close()
            }
            let restarted = try start(url, directory)
            #expect(await restarted.flushed(timeout: .seconds(10)))
            #expect(restarted.stats.recordsRejected == 1)
            #expect(restarted.stats.recordsWritten == 2)
            #expect(try await WriterHarness.events(schema).count == 2)
            #expect(FileManager.default.fileExists(atPath: "\(directory)/rejected.jsonl"))
            #expect(try await WriterHarness.stop(restarted))
        }
    }
}
