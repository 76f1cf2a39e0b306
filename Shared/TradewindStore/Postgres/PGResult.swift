import CLibPQ

/// The rows of a completed statement, read as text (the server's text output format).
/// A PGresult is read-only once built, so it may be read from any thread (libpq documents this).
public final class PGResult: @unchecked Sendable {
    private let result: OpaquePointer
    /// Number of rows returned (0 for commands).
    public let rowCount: Int
    /// Column names, in select-list order.
    public let columnNames: [String]
    private let columnIndex: [String: Int32]

    init(_ result: OpaquePointer) {
        self.result = result
        rowCount = Int(PQntuples(result))
        let names = (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }
        columnNames = names
        columnIndex = Dictionary(names.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
    }

    deinit { PQclear(result) }

    /// Rows an INSERT, UPDATE or DELETE touched (PQcmdTuples), 0 when not applicable.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    /// The text of a value; nil when it is NULL, the row is out of range or there is no such column.
    public subscript(row: Int, column: String) -> String? {
        guard let field = columnIndex[column], row >= 0, row < rowCount else { return nil }
        return text(row, field)
    }

    /// The text of a value, nil for NULL; throws if the column does not exist.
    public func string(_ row: Int, _ column: String) throws(StoreError) -> String? {
        text(row, try field(column))
    }

    /// A bigint/integer value, nil for NULL.
    public func int64(_ row: Int, _ column: String) throws(StoreError) -> Int64? {
        try convert(row, column, "integer") { Int64($0) }
    }

    /// A boolean value (`t`/`f`), nil for NULL.
    public func bool(_ row: Int, _ column: String) throws(StoreError) -> Bool? {
        try convert(row, column, "boolean") { $0 == "t" ? true : $0 == "f" ? false : nil }
    }

    /// A bytea value decoded from its `\x` hex text, nil for NULL.
    public func bytes(_ row: Int, _ column: String) throws(StoreError) -> [UInt8]? {
        try convert(row, column, "bytea") { $0.hasPrefix("\\x") ? Hex.decode(Substring($0).utf8.dropFirst(2)) : nil }
    }

    /// A numeric value as its exact decimal text, nil for NULL.
    public func numeric(_ row: Int, _ column: String) throws(StoreError) -> String? {
        try string(row, column)
    }

    /// A timestamptz value as ns since the epoch (connections run in UTC), nil for NULL.
    public func timestampNs(_ row: Int, _ column: String) throws(StoreError) -> Int64? {
        try convert(row, column, "timestamptz") { PGTimestamp.parse($0) }
    }

    private func field(_ column: String) throws(StoreError) -> Int32 {
        guard let field = columnIndex[column] else { throw .columnNotFound(column) }
        return field
    }

    private func text(_ row: Int, _ field: Int32) -> String? {
        guard row >= 0, row < rowCount, PQgetisnull(result, Int32(row), field) == 0 else { return nil }
        return String(cString: PQgetvalue(result, Int32(row), field))
    }

    private func convert<T>(_ row: Int, _ column: String, _ type: String, _ parse: (String) -> T?) throws(StoreError) -> T? {
        guard let text = try string(row, column) else { return nil }
        guard let value = parse(text) else { throw .valueConversion(column: column, value: text, type: type) }
        return value
    }
}
