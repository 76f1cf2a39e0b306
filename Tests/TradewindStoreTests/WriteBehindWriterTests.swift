import Foundation
import Testing
@testable import TradewindStore

@Suite struct WriteBehindWriterTests {
    private func withWriter(
        _ adjust: (inout WriteBehindConfiguration) -> Void = { _ in },
        _ body: (WriteBehindWriter, String, String) async throws -> Void
    ) async throws {
        let url = try await TestDatabase.onThread { try TestDatabase.url() }
        try await TestDatabase.withSchema(WriterHarness.tables) { schema async throws in
            let directory = WriterHarness.makeJournalDirectory()
            defer { WriterHarness.removeDirectory(directory) }
            var configuration = WriterHarness.configuration(url: url, journal: directory)
            adjust(&configuration)
            let writer = WriteBehindWriter(configuration: configuration, logger: TestDatabase.logger)
            try writer.start()
            do {
                try await body(writer, schema, directory)
                _ = try await WriterHarness.stop(writer)
            } catch {
                _ = try await WriterHarness.stop(writer)
                throw error
            }
        }
    }

    @Test func twentyThousandRecordsArePresentExactlyOnceAfterFlush() async throws {
        try await withWriter { writer, schema, _ in
            let hostile = PGConnectionTests.hostileTexts
            for seq in 0..<20_000 {
                try writer.enqueue(WriterHarness.event(schema, seq, seq % 100 == 0 ? hostile[seq / 100 % hostile.count] : nil))
            }
            #expect(await writer.flushed(timeout: .seconds(30)))
            let summary = try await WriterHarness.events(schema)
            #expect(summary == .init(count: 20_000, distinct: 20_000, minimum: 0, maximum: 19_999, outOfOrder: 0))
            let stats = writer.stats
            #expect(stats.recordsWritten == 20_000)
            #expect(stats.pendingRecords == 0)
            #expect(stats.journalBytesPending == 0)
            #expect(stats.databaseReachable)
            #expect(stats.lastWriteLatency != nil)
            #expect(!writer.isBacklogged)
            let stored = try await TestDatabase.withConnection { connection in
                try connection.execute("SELECT payload FROM \(schema).events WHERE seq = 200").string(0, "payload")
            }
            #expect(stored == hostile[2])
        }
    }

    @Test func upsertsKeepTheLastValueAcrossInterleavedTables() async throws {
        try await withWriter({ $0.batchSize = 7 }) { writer, schema, _ in
            for step in 0..<300 {
                try writer.enqueue(WriterHarness.position(schema, "acct", "BTC-USD", qty: "\(step).5", at: Int64(step)))
                try writer.enqueue(WriterHarness.event(schema, step))
                try writer.enqueue(WriterHarness.position(schema, "acct", "ETH-USD", qty: "-\(step).25", at: Int64(step)))
            }
            #expect(await writer.flushed(timeout: .seconds(10)))
            #expect(try await WriterHarness.positions(schema) == ["acct/BTC-USD": "299.5", "acct/ETH-USD": "-299.25"])
            #expect(try await WriterHarness.events(schema).count == 300)
        }
    }

    @Test func duplicateKeysInOneBatchKeepTheLastUpsertAndTheFirstAppend() async throws {
        try await withWriter { writer, schema, _ in
            // one append, so the writer finds all of them queued at once: one batch, one statement per table
            try writer.enqueue(contentsOf:
                (0..<100).map { WriterHarness.position(schema, "a\($0 % 3)", "X", qty: "\($0)", at: Int64($0)) }
                + (0..<100).map { WriterHarness.event(schema, $0 % 5, "version \($0)") })
            #expect(await writer.flushed(timeout: .seconds(10)))
            #expect(try await WriterHarness.positions(schema) == ["a0/X": "99", "a1/X": "97", "a2/X": "98"])
            let first = try await TestDatabase.withConnection { connection in
                try connection.execute("SELECT payload FROM \(schema).events WHERE seq = 3").string(0, "payload")
            }
            #expect(first == "version 3")
        }
    }

    @Test func keysEqualOnlyToTheDatabaseStillWriteInOneFlush() async throws {
        // "1.0" and "1.00" differ as Swift values but are one numeric key to PostgreSQL, so the
        // batched upsert fails (SQLSTATE 21000) and the writer falls back to one row at a time.
        try await withWriter { writer, schema, _ in
            _ = try await TestDatabase.withConnection { connection in
                try connection.executeScript("CREATE TABLE \(schema).prices (px numeric PRIMARY KEY, label text)")
            }
            try writer.enqueue(contentsOf: ["1.0", "1.00", "2", "1.000"].enumerated().map { index, px in
                PersistedRecord(
                    table: "\(schema).prices", columns: ["px", "label"], values: [.numeric(px), .text("v\(index)")],
                    conflict: .update(key: ["px"]))
            })
            #expect(await writer.flushed(timeout: .seconds(10)))
            let labels = try await TestDatabase.withConnection { connection in
                let rows = try connection.execute("SELECT label FROM \(schema).prices ORDER BY px")
                return try (0..<rows.rowCount).map { try rows.string($0, "label") ?? "" }
            }
            #expect(labels == ["v3", "v2"])
            #expect(writer.stats.recordsRejected == 0)
        }
    }

    @Test func aRecordTheDatabaseRefusesIsSetAsideWithoutBlockingTheRest() async throws {
        try await withWriter { writer, schema, directory in
            try writer.enqueue(WriterHarness.position(schema, "a", "X", qty: "1", at: 1))
            try writer.enqueue(WriterHarness.position(schema, "b", "X", qty: "-1", at: 2))  // violates the CHECK
            try writer.enqueue(WriterHarness.position(schema, "c", "X", qty: "3", at: 3))
            #expect(await writer.flushed(timeout: .seconds(10)))
            #expect(try await WriterHarness.positions(schema) == ["a/X": "1", "c/X": "3"])
            #expect(writer.stats.recordsRejected == 1)
            #expect(writer.stats.recordsWritten == 2)
            let rejected = try String(contentsOfFile: "\(directory)/rejected.jsonl", encoding: .utf8)
            #expect(rejected.contains("23514"))
            #expect(rejected.split(separator: "\n").count == 1)
        }
    }

    @Test func invalidRecordsAreRefusedAtEnqueueAndNothingIsJournaled() async throws {
        try await withWriter { writer, schema, _ in
            let bad: [PersistedRecord] = [
                PersistedRecord(table: "events", columns: ["seq"], values: [.int(1)], conflict: .ignore(key: ["seq"])),
                PersistedRecord(table: "\(schema).events", columns: ["seq", "payload"], values: [.int(1)], conflict: .ignore(key: ["seq"])),
                PersistedRecord(table: "\(schema).events", columns: ["seq", "payload"], values: [.int(1), .text("nul\u{0}")], conflict: .ignore(key: ["seq"])),
                PersistedRecord(table: "\(schema).events", columns: ["seq", "payload"], values: [.int(1), .text("x")], conflict: .ignore(key: ["id"])),
                PersistedRecord(table: "\(schema).events", columns: ["seq", "Payload"], values: [.int(1), .text("x")], conflict: .ignore(key: ["seq"])),
                PersistedRecord(table: "\(schema).events; DROP TABLE x", columns: ["seq"], values: [.int(1)], conflict: .ignore(key: ["seq"])),
                PersistedRecord(table: "\(schema).positions", columns: ["account", "qty"], values: [.text("a"), .numeric("1e5")], conflict: .update(key: ["account"])),
            ]
            for record in bad {
                #expect(throws: StoreError.self) { try writer.enqueue(record) }
            }
            #expect(writer.stats.pendingRecords == 0)
            #expect(writer.stats.journalBytesPending == 0)
        }
    }

    @Test func aGroupIsJournaledWholeOrNotAtAll() async throws {
        try await withWriter({ $0.queueCapacity = 8 }) { writer, schema, _ in
            for group in 0..<100 {
                try writer.enqueue(contentsOf: (0..<5).map { WriterHarness.event(schema, group * 5 + $0) }
                    + [WriterHarness.position(schema, "acct", "X", qty: "\(group)", at: Int64(group))])
            }
            let invalid = [WriterHarness.event(schema, 9_999), WriterHarness.event(schema, 10_000, "nul\u{0}")]
            #expect(throws: StoreError.self) { try writer.enqueue(contentsOf: invalid) }
            #expect(writer.stats.pendingRecords + writer.stats.recordsWritten == 600)
            #expect(await writer.flushed(timeout: .seconds(10)))
            #expect(try await WriterHarness.events(schema) == .init(count: 500, distinct: 500, minimum: 0, maximum: 499, outOfOrder: 0))
            #expect(try await WriterHarness.positions(schema) == ["acct/X": "99"])
        }
    }

    @Test func overflowingTheQueueFallsBackToTheJournalInOrder() async throws {
        try await withWriter({ $0.queueCapacity = 16; $0.batchSize = 50 }) { writer, schema, _ in
            for seq in 0..<5_000 { try writer.enqueue(WriterHarness.event(schema, seq)) }
            #expect(writer.stats.queueDepth <= 16)
            #expect(await writer.flushed(timeout: .seconds(20)))
            #expect(try await WriterHarness.events(schema) == .init(count: 5_000, distinct: 5_000, minimum: 0, maximum: 4_999, outOfOrder: 0))
        }
    }

    @Test func smallSegmentsRotateAndAreDeletedOnceCommitted() async throws {
        try await withWriter({ $0.segmentBytes = 4_096 }) { writer, schema, directory in
            for seq in 0..<3_000 {
                try writer.enqueue(WriterHarness.event(schema, seq))
                // committed every 500 records, so segments are sealed and deleted while writing goes on
                if seq % 500 == 499 { #expect(await writer.flushed(timeout: .seconds(20))) }
            }
            #expect(await writer.flushed(timeout: .seconds(20)))
            // Rotation and deletion happen on the writer's next turns.
            var segments = WriterHarness.segmentFiles(directory)
            for _ in 0..<100 where segments.count > 2 {
                try writer.enqueue(WriterHarness.event(schema, 0))
                _ = await writer.flushed(timeout: .seconds(5))
                segments = WriterHarness.segmentFiles(directory)
            }
            #expect(segments.count <= 2)
            #expect(segments.last != "segment-00000000000000000001.wal")
            #expect(try await WriterHarness.events(schema) == .init(count: 3_000, distinct: 3_000, minimum: 0, maximum: 2_999, outOfOrder: 0))
        }
    }

    @Test func aSecondWriterCannotOpenTheSameJournal() async throws {
        try await withWriter { writer, _, directory in
            let second = WriteBehindWriter(configuration: writer.configuration, logger: TestDatabase.logger)
            #expect(throws: StoreError.journalLocked(path: directory)) { try second.start() }
            #expect(throws: StoreError.alreadyStarted(name: "test")) { try writer.start() }
        }
    }

    @Test func enqueueAfterStopIsRefused() async throws {
        try await withWriter { writer, schema, _ in
            try writer.enqueue(WriterHarness.event(schema, 1))
            #expect(try await WriterHarness.stop(writer))
            #expect(throws: StoreError.writerNotRunning(name: "test")) { try writer.enqueue(WriterHarness.event(schema, 2)) }
            #expect(try await WriterHarness.events(schema).count == 1)
        }
    }

    @Test func invalidConfigurationNamesTheKey() {
        var configuration = WriteBehindConfiguration(url: "x", journalDirectory: "/tmp/x", name: "n")
        configuration.retryMaximum = .milliseconds(1)
        #expect(throws: StoreError.self) { try configuration.validate() }
        configuration = WriteBehindConfiguration(url: "x", journalDirectory: "/tmp/x", name: "n")
        configuration.batchSize = 0
        #expect(throws: StoreError.invalidConfiguration(key: "batchSize", reason: "must be positive, got 0")) { try configuration.validate() }
    }
}
