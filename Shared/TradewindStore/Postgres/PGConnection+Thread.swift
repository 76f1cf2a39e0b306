import Foundation

extension PGConnection {
    /// Opens a connection on a new thread, runs `body` with it there and closes it: how async
    /// code (start-up migrations, recovery reads) uses libpq without blocking the cooperative pool.
    public static func withConnection<T: Sendable>(
        url: String, _ body: @escaping @Sendable (PGConnection) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result {
                    let connection = try PGConnection(url: url)
                    defer { connection.close() }
                    return try body(connection)
                })
            }
            thread.name = "pg-connection"
            thread.start()
        }
    }
}
