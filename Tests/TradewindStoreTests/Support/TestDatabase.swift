import Foundation
import Logging
import TradewindStore

/// The database the store tests share: `TRADEWIND_TEST_DATABASE_URL` if set (as
/// `scripts/with-test-db.sh` does), else the same private cluster that script uses
/// (`.run/test-pg`, port `TRADEWIND_TEST_PG_PORT` or 5437), started once per test process and
/// left running. Each test works in a schema of its own (`t_<random>`), so tests run in parallel.
enum TestDatabase {
    private static let resolved: Result<String, any Error> = Result {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["TRADEWIND_TEST_DATABASE_URL"], !url.isEmpty { return url }
        let port = environment["TRADEWIND_TEST_PG_PORT"].flatMap(Int.init) ?? 5437
        return try PGCluster(directory: "\(PGCluster.repositoryRoot)/.run/test-pg", port: port).start()
    }

    static let logger: Logger = {
        var logger = Logger(label: "tradewind.store.tests")
        logger.logLevel = .critical
        return logger
    }()

    /// The URL; the first call starts the cluster (blocking, so call it on a dedicated thread).
    static func url() throws -> String { try resolved.get() }

    static func uniqueSchema() -> String {
        "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
    }

    /// Runs `body` with a fresh connection on a thread of its own (libpq blocks).
    static func withConnection<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        try await onThread { try withConnectionNow(body) }
    }

    /// Same, on the calling thread.
    static func withConnectionNow<T>(_ body: (PGConnection) throws -> T) throws -> T {
        let connection = try PGConnection(url: try url())
        defer { connection.close() }
        return try body(connection)
    }

    /// Creates a schema for one test and returns its name.
    static func makeSchema(_ ddl: String = "") async throws -> String {
        let schema = uniqueSchema()
        _ = try await withConnection { connection in
            try connection.executeScript("CREATE SCHEMA \(schema); SET search_path TO \(schema); \(ddl)")
        }
        return schema
    }

    static func dropSchema(_ schema: String) async {
        _ = try? await withConnection { connection in
            try connection.executeScript("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        }
    }

    /// Runs `body` with a unique schema name (created, with `ddl` run inside it, unless
    /// `create` is false) and drops the schema afterwards, whatever happens.
    static func withSchema(create: Bool = true, _ ddl: String = "", _ body: (String) async throws -> Void) async throws {
        let schema = create ? try await makeSchema(ddl) : uniqueSchema()
        do {
            try await body(schema)
            await dropSchema(schema)
        } catch {
            await dropSchema(schema)
            throw error
        }
    }

    /// Runs blocking work on a new thread and awaits it.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
