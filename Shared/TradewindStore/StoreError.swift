/// A failure in the store, naming what failed and with which value; database failures carry
/// libpq's message and the SQLSTATE when the server sent one.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// PQconnectdb or PQreset failed; `url` has its password redacted.
    case connectionFailed(url: String, message: String)
    /// The connection was closed with `close()` and cannot run statements.
    case connectionClosed
    /// A statement failed; `sql` is its first 120 characters.
    case queryFailed(sql: String, sqlState: String?, message: String)
    /// A schema, table or column name outside `^[a-z_][a-z0-9_]*$` (max 63 bytes).
    case invalidIdentifier(String)
    /// A parameter PostgreSQL could not store exactly (a NUL in text, a malformed decimal).
    case invalidValue(field: String, reason: String)
    /// A `PersistedRecord` whose shape is inconsistent (columns, values, conflict key).
    case invalidRecord(table: String, reason: String)
    /// A result has no column of that name.
    case columnNotFound(String)
    /// A result value could not be read as the requested type.
    case valueConversion(column: String, value: String, type: String)
    /// The migration list itself is wrong (duplicate or non-positive versions).
    case invalidMigrations(schema: String, reason: String)
    /// A migration's SQL failed; its transaction rolled back and nothing of it remains.
    case migrationFailed(schema: String, version: Int, message: String)
    /// An applied migration's SQL was changed after it ran.
    case migrationChecksumMismatch(schema: String, version: Int, recorded: String, expected: String)
    /// A journal (spool) file operation failed.
    case journalIO(path: String, operation: String, reason: String)
    /// Another live writer holds this journal directory.
    case journalLocked(path: String)
    /// A journal frame that passed its CRC did not decode as a record.
    case journalCorrupt(path: String, offset: UInt64, reason: String)
    case invalidConfiguration(key: String, reason: String)
    /// `enqueue` or `flush` before `start()` or after `stop()`.
    case writerNotRunning(name: String)
    case alreadyStarted(name: String)

    public var description: String {
        switch self {
        case .connectionFailed(let url, let message):
            "connection to \(url) failed: \(message)"
        case .connectionClosed:
            "the PostgreSQL connection is closed"
        case .queryFailed(let sql, let sqlState, let message):
            "statement failed [\(sqlState ?? "no SQLSTATE")] \(message) in: \(sql)"
        case .invalidIdentifier(let name):
            "invalid SQL identifier \"\(name)\" (expected ^[a-z_][a-z0-9_]*$, at most 63 bytes)"
        case .invalidValue(let field, let reason):
            "value for \(field) rejected: \(reason)"
        case .invalidRecord(let table, let reason):
            "record for \(table) rejected: \(reason)"
        case .columnNotFound(let name):
            "result has no column \"\(name)\""
        case .valueConversion(let column, let value, let type):
            "column \"\(column)\" value \"\(value.prefix(60))\" is not a valid \(type)"
        case .invalidMigrations(let schema, let reason):
            "migrations for schema \(schema) are invalid: \(reason)"
        case .migrationFailed(let schema, let version, let message):
            "migration \(version) of schema \(schema) failed: \(message)"
        case .migrationChecksumMismatch(let schema, let version, let recorded, let expected):
            "migration \(version) of schema \(schema) changed after it was applied (recorded checksum \(recorded), now \(expected))"
        case .journalIO(let path, let operation, let reason):
            "journal \(operation) on \(path) failed: \(reason)"
        case .journalLocked(let path):
            "journal directory \(path) is locked by another live writer"
        case .journalCorrupt(let path, let offset, let reason):
            "journal \(path) at offset \(offset) is corrupt: \(reason)"
        case .invalidConfiguration(let key, let reason):
            "store configuration \(key): \(reason)"
        case .writerNotRunning(let name):
            "write-behind writer \(name) is not running"
        case .alreadyStarted(let name):
            "write-behind writer \(name) was already started"
        }
    }

    /// The SQLSTATE of a failed statement, if the server sent one.
    public var sqlState: String? {
        if case .queryFailed(_, let sqlState, _) = self { return sqlState }
        return nil
    }

    /// True when retrying the same statement cannot succeed: the server answered with an
    /// error about the statement or its data. Transient failures are false: no SQLSTATE (the
    /// connection broke), classes 08 (connection), 40 (deadlock, serialization), 53 (resources),
    /// 57 (shutdown, cancel), 58 (server I/O) and 55P03 (lock not available).
    public var isPermanentDataError: Bool {
        switch self {
        case .queryFailed(_, let sqlState?, _):
            !["08", "40", "53", "57", "58"].contains(String(sqlState.prefix(2))) && sqlState != "55P03"
        case .invalidValue, .invalidRecord, .invalidIdentifier:
            true
        default:
            false
        }
    }
}
