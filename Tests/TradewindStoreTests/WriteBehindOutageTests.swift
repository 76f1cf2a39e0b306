import Foundation
import Synchronization
import Testing
@testable import TradewindStore

/// Stops and restarts a PostgreSQL of its own (`.run/test-pg-outage`, port
/// `TRADEWIND_TEST_OUTAGE_PG_PORT` or 5434), so the server the other suites use in parallel is
/// never disturbed. Each test leaves it stopped.
@Suite(.serialized) struct WriteBehindOutageTests {
    static let cluster = PGCluster(
        directory: "\(PGCluster.repositoryRoot)/.run/test-pg-outage",
        port: ProcessInfo.processInfo.environment["TRADEWIND_TEST_OUTAGE_PG_PORT"].flatMap(Int.init) ?? 5434)

    /// Runs `body` with the outage cluster started, and stops it afterwards whatever happens.
    private func withCluster(_ body: (String) async throws -> Void) async throws {
        let url = try await TestDatabase.onThread { try Self.cluster.start() }
        do {
            try await body(url)
        } catch {
            _ = try? await TestDatabase.onThread { try Self.cluster.stop() }
            throw error
        }
        try await TestDatabase.onThread { try Self.cluster.stop() }
    }

    /// Enqueues one event per millisecond on a thread of its own, counting what it enqueued; an
    /// enqueue that waited for the database would stop the count while the database is down.
    final class Producer: Sendable {
        let writer: WriteBehindWriter
        let schema: String
        private let running = Atomic<Bool>(true)
        private let state = Mutex<(produced: Int, failures: [String])>((0, []))
        private let done = Atomic<Bool>(false)

        init(writer: WriteBehindWriter, schema: String) {
            self.writer = writer
            self.schema = schema
            Thread { [self] in run() }.start()
        }

        var produced: Int { state.withLock { $0.produced } }
        var failures: [String] { state.withLock { $0.failures } }

        /// Stops producing and returns once the thread has enqueued its last record.
        func finish() async {
            running.store(false, ordering: .relaxed)
            while !done.load(ordering: .acquiring) { try? await Task.sleep(for: .milliseconds(5)) }
        }

        private func run() {
            var seq = 0
            while running.load(ordering: .relaxed) {
                var failure: String?
                do { try writer.enqueue(WriterHarness.event(schema, seq)) } catch { failure = "\(error)" }
                seq += 1
                state.withLock { state in
                    state.produced = seq
                    if let failure { state.failures.append(failure) }
                }
                Thread.sleep(forTimeInterval: 0.001)
            }
            done.store(true, ordering: .releasing)
        }
    }

    /// Polls `condition` until it holds; `timeout` is only a backstop against a hang.
    private func waitUntil(_ timeout: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    /// The latency of an enqueue during an outage is a figure of `tradewind-bench-store`, not a
    /// limit here: on a busy machine a thread can be preempted for any time. What the outage must
    /// not do is stop enqueue: records keep being journaled while the database is down, and all of
    /// them reach it exactly once, in order, when it is back.
    @Test func anOutageLosesNothingAndNeverBlocksEnqueue() async throws {
        try await withCluster { url async throws in
            let schema = TestDatabase.uniqueSchema()
            try await TestDatabase.onThread {
                let connection = try PGConnection(url: url)
                defer { connection.close() }
                try connection.executeScript("CREATE SCHEMA \(schema); SET search_path TO \(schema); \(WriterHarness.tables)")
            }
            let directory = WriterHarness.makeJournalDirectory()
            defer { WriterHarness.removeDirectory(directory) }
            var configuration = WriterHarness.configuration(url: url, journal: directory, name: "outage")
            configuration.retryMaximum = .milliseconds(500)
            configuration.backlogReadyThreshold = 500
            let writer = WriteBehindWriter(configuration: configuration, logger: TestDatabase.logger)
            try writer.start()
            let producer = Producer(writer: writer, schema: schema)

            #expect(await waitUntil(.seconds(30)) { writer.stats.recordsWritten > 0 && writer.stats.databaseReachable })
            try await TestDatabase.onThread { try Self.cluster.stop() }
            #expect(await waitUntil(.seconds(30)) { !writer.stats.databaseReachable })
            let outageStart = producer.produced
            #expect(await waitUntil(.seconds(60)) { producer.produced - outageStart > 1_000 && writer.isBacklogged },
                    "enqueue stalled during the outage after \(producer.produced - outageStart) records")
            let during = writer.stats
            #expect(!during.databaseReachable)
            #expect(during.journalBytesPending > 0)
            #expect(during.pendingRecords > 500)
            #expect(during.writeErrors > 0)

            _ = try await TestDatabase.onThread { try Self.cluster.start() }
            #expect(await waitUntil(.seconds(30)) { writer.stats.databaseReachable })
            await producer.finish()
            #expect(await writer.flushed(timeout: .seconds(60)))
            #expect(producer.failures.isEmpty)
            #expect(writer.stats.journalBytesPending == 0)
            #expect(!writer.isBacklogged)
            #expect(try await WriterHarness.stop(writer))

            let summary = try await TestDatabase.onThread {
                let connection = try PGConnection(url: url)
                defer { connection.close() }
                let result = try connection.execute("""
                    SELECT count(*) AS n, count(DISTINCT seq) AS d, max(seq) AS hi,
                           (SELECT count(*) FROM (SELECT seq - lag(seq) OVER (ORDER BY arrival) AS step FROM \(schema).events) s
                            WHERE step <> 1) AS disorder
                    FROM \(schema).events
                    """)
                let summary = (try result.int64(0, "n"), try result.int64(0, "d"), try result.int64(0, "hi"), try result.int64(0, "disorder"))
                try connection.executeScript("DROP SCHEMA \(schema) CASCADE")
                return summary
            }
            let produced = Int64(producer.produced)
            #expect(summary.0 == produced)
            #expect(summary.1 == produced)
            #expect(summary.2 == produced - 1)
            #expect(summary.3 == 0)
            print("outage: \(produced) records, \(producer.produced - outageStart) or more enqueued while the database was down, peak spool \(during.journalBytesPending) bytes")
        }
    }

    @Test func aWriterStartedWhileTheDatabaseIsDownDrainsWhenItComesUp() async throws {
        try await withCluster { url async throws in
            let schema = TestDatabase.uniqueSchema()
            try await TestDatabase.onThread {
                let connection = try PGConnection(url: url)
                defer { connection.close() }
                try connection.executeScript("CREATE SCHEMA \(schema); SET search_path TO \(schema); \(WriterHarness.tables)")
            }
            try await TestDatabase.onThread { try Self.cluster.stop() }
            let directory = WriterHarness.makeJournalDirectory()
            defer { WriterHarness.removeDirectory(directory) }
            let writer = WriteBehindWriter(
                configuration: WriterHarness.configuration(url: url, journal: directory, name: "outage-start"), logger: TestDatabase.logger)
            try writer.start()
            for seq in 0..<500 { try writer.enqueue(WriterHarness.event(schema, seq)) }
            #expect(!(await writer.flushed(timeout: .milliseconds(300))))
            #expect(!writer.stats.databaseReachable)
            _ = try await TestDatabase.onThread { try Self.cluster.start() }
            #expect(await writer.flushed(timeout: .seconds(20)))
            #expect(try await WriterHarness.stop(writer))
            let count = try await TestDatabase.onThread {
                let connection = try PGConnection(url: url)
                defer { connection.close() }
                let count = try connection.execute("SELECT count(DISTINCT seq) AS n FROM \(schema).events").int64(0, "n")
                try connection.executeScript("DROP SCHEMA \(schema) CASCADE")
                return count
            }
            #expect(count == 500)
        }
    }
}
