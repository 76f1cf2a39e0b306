import CLibPQ
import Glibc

/// One libpq connection. Not thread-safe and not Sendable: create it, use it and close it on
/// one thread (a writer's own thread, never the Swift cooperative pool), since libpq blocks.
public final class PGConnection {
    private var connection: OpaquePointer?
    /// The URL with any password redacted, for errors and logs.
    public let redactedURL: String

    /// Connects with PQconnectdb (a `postgresql://` URI or `key=value` string); the session
    /// runs in UTC with ISO dates and hex bytea so text results parse predictably.
    public init(url: String) throws(StoreError) {
        redactedURL = ConnectionURL.redacted(url)
        let connection = PQconnectdb(url)
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { Self.errorText(PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(connection)
            throw .connectionFailed(url: redactedURL, message: message)
        }
        self.connection = connection
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        try configureSession()
    }

    deinit { close() }

    /// True while the connection is open and healthy (PQstatus is CONNECTION_OK).
    public var isConnected: Bool {
        guard let connection else { return false }
        return PQstatus(connection) == CONNECTION_OK
    }

    /// Runs one statement with PQexecParams; parameters go as text (`$1`, `$2`, ...), never
    /// spliced into the SQL. Throws `queryFailed` with the SQLSTATE and server message.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [PGValue?] = []) throws(StoreError) -> PGResult {
        guard let connection else { throw .connectionClosed }
        var rendered: [String?] = []
        rendered.reserveCapacity(parameters.count)
        for (index, parameter) in parameters.enumerated() {
            rendered.append(try parameter?.rendered(field: "$\(index + 1)"))
        }
        let pointers = rendered.map { $0.flatMap { strdup($0) } }
        defer { pointers.forEach { free($0) } }
        let result = pointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { values in
            PQexecParams(connection, sql, Int32(values.count), nil, values.baseAddress, nil, nil, 0)
        }
        return try check(result, sql: sql)
    }

    /// Runs one or more `;`-separated statements with PQexec (no parameters): DDL, migrations.
    @discardableResult
    public func executeScript(_ sql: String) throws(StoreError) -> PGResult {
        guard let connection else { throw .connectionClosed }
        return try check(PQexec(connection, sql), sql: sql)
    }

    /// Runs `body` inside BEGIN/COMMIT; any error rolls back and is rethrown.
    public func transaction<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try executeScript("BEGIN")
        do {
            let value = try body(self)
            try executeScript("COMMIT")
            return value
        } catch {
            rollbackQuietly()
            throw error
        }
    }

    /// Like `transaction`, for bodies that throw only `StoreError`.
    func transaction<T>(typed body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try executeScript("BEGIN")
        do {
            let value = try body()
            try executeScript("COMMIT")
            return value
        } catch {
            rollbackQuietly()
            throw error
        }
    }

    /// Reconnects with the same parameters (PQreset) and restores the session settings.
    public func reset() throws(StoreError) {
        guard let connection else { throw .connectionClosed }
        PQreset(connection)
        guard PQstatus(connection) == CONNECTION_OK else {
            throw .connectionFailed(url: redactedURL, message: Self.errorText(PQerrorMessage(connection)))
        }
        try configureSession()
    }

    /// Closes the connection (PQfinish); later statements throw `connectionClosed`. Idempotent.
    public func close() {
        PQfinish(connection)
        connection = nil
    }

    private func rollbackQuietly() {
        guard let connection, PQstatus(connection) == CONNECTION_OK else { return }
        PQclear(PQexec(connection, "ROLLBACK"))
    }

    private func configureSession() throws(StoreError) {
        try executeScript("SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, YMD'; SET bytea_output TO 'hex'; SET client_encoding TO 'UTF8'")
    }

    private func check(_ result: OpaquePointer?, sql: String) throws(StoreError) -> PGResult {
        let statement = String(sql.prefix(120))
        guard let result else {
            throw .queryFailed(sql: statement, sqlState: nil, message: Self.errorText(connection.flatMap { PQerrorMessage($0) }))
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PGResult(result)
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let message = Self.errorText(PQresultErrorMessage(result))
            PQclear(result)
            throw .queryFailed(sql: statement, sqlState: state, message: message)
        }
    }

    private static func errorText(_ text: UnsafeMutablePointer<CChar>?) -> String {
        guard let text else { return "unknown libpq error" }
        let message = String(cString: text).trimmingTrailingWhitespace()
        return message.isEmpty ? "unknown libpq error" : message
    }
}

extension String {
    fileprivate func trimmingTrailingWhitespace() -> String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
