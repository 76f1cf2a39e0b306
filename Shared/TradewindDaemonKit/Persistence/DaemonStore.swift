import Foundation
import Logging
import ServiceLifecycle
import TradewindStore

/// A daemon's persistence: migrates its schema at start-up (a failure stops start-up), gives the
/// start-up code a connection to restore state from, and owns the write-behind writer that the
/// bus thread enqueues into. As a `Service` it flushes the writer at shutdown, after the bus stops.
public final class DaemonStore: Sendable {
    public let schema: String
    public let settings: DatabaseSettings
    public let writer: WriteBehindWriter
    private let logger: Logger

    /// Connects (retrying until `connect_timeout_ms`), applies `migrations` under the advisory lock,
    /// starts the writer (which replays what a crash left in the journal) and waits for that replay
    /// to commit, so the state read next is complete.
    public init(schema: String, migrations: [Migration], settings: DatabaseSettings, logger: Logger) throws {
        self.schema = schema
        self.settings = settings
        self.logger = logger
        let connection = try Self.connect(url: settings.url, timeout: settings.connectTimeout, logger: logger)
        defer { connection.close() }
        let applied = try Migrator(schema: schema, migrations: migrations).migrate(connection)
        logger.info("schema ready", metadata: ["schema": "\(schema)", "migrations_applied": "\(applied)"])
        writer = WriteBehindWriter(configuration: settings.writeBehind(name: schema.replacingOccurrences(of: "_", with: "-")), logger: logger)
        try writer.start()
        if !writer.flush(timeout: settings.connectTimeout) {
            throw DaemonStoreError.replayTimedOut(schema: schema, pending: writer.stats.pendingRecords)
        }
    }

    /// A fresh connection for start-up reads (state restore); the caller closes it.
    public func connection() throws(StoreError) -> PGConnection {
        try Self.connect(url: settings.url, timeout: settings.connectTimeout, logger: logger)
    }

    /// Journals `record` for the writer; never waits for the database. A record that fails
    /// validation is a programming error in the daemon: logged and counted, never thrown at the bus.
    public func enqueue(_ record: PersistedRecord) {
        do {
            try writer.enqueue(record)
        } catch {
            logger.error("record refused by the store", metadata: ["table": "\(record.table)", "error": "\(error)"])
        }
    }

    /// Journals `records` in one append, so a crash keeps all of them or none.
    public func enqueue(contentsOf records: [PersistedRecord]) {
        do {
            try writer.enqueue(contentsOf: records)
        } catch {
            logger.error("records refused by the store", metadata: ["tables": "\(records.map(\.table))", "error": "\(error)"])
        }
    }

    /// /ready's view: the database answers and the backlog is under the threshold.
    public func readiness() -> (ok: Bool, detail: String) {
        let stats = writer.stats
        let detail = "reachable \(stats.databaseReachable), pending \(stats.pendingRecords), spool bytes \(stats.journalBytesPending)"
        return (stats.databaseReachable && !writer.isBacklogged, detail)
    }

    private static func connect(url: String, timeout: Duration, logger: Logger) throws(StoreError) -> PGConnection {
        let deadline = ContinuousClock.now + timeout
        var attempt = 0
        while true {
            do {
                return try PGConnection(url: url)
            } catch {
                attempt += 1
                guard ContinuousClock.now < deadline else { throw error }
                if attempt == 1 { logger.warning("database not reachable yet; retrying", metadata: ["error": "\(error)"]) }
                Thread.sleep(forTimeInterval: min(0.1 * Double(attempt), 1.0))
            }
        }
    }
}

extension DaemonStore: Service {
    /// Waits for graceful shutdown, then flushes what the bus enqueued and stops the writer.
    public func run() async throws {
        try? await gracefulShutdown()
        let flushed = await writer.stopped(timeout: .seconds(4))
        logger.info("store stopped", metadata: ["flushed": "\(flushed)", "pending": "\(writer.stats.pendingRecords)"])
    }
}

/// Why a daemon's store could not get ready at start-up.
public enum DaemonStoreError: Error, CustomStringConvertible {
    case replayTimedOut(schema: String, pending: UInt64)

    public var description: String {
        switch self {
        case .replayTimedOut(let schema, let pending):
            return "journal replay into schema \(schema) did not finish in time (\(pending) records pending)"
        }
    }
}
