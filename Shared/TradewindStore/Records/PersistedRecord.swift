/// One row a daemon persists through the write-behind writer. Its conflict key makes the write
/// idempotent, so replaying the journal after a crash never duplicates a row.
public struct PersistedRecord: Sendable, Hashable, Codable {
    /// What happens when a row with the same key exists.
    public enum Conflict: Sendable, Hashable, Codable {
        /// `ON CONFLICT (key) DO NOTHING`: append-only rows (events, fills, audit entries).
        case ignore(key: [String])
        /// `ON CONFLICT (key) DO UPDATE SET` every non-key column: current-state rows.
        case update(key: [String])

        /// The conflict-target columns.
        public var key: [String] {
            switch self {
            case .ignore(let key), .update(let key): key
            }
        }
    }

    /// Schema-qualified table name, e.g. `execution.orders`.
    public var table: String
    public var columns: [String]
    /// One value per column; nil is SQL NULL.
    public var values: [PGValue?]
    public var conflict: Conflict

    public init(table: String, columns: [String], values: [PGValue?], conflict: Conflict) {
        self.table = table
        self.columns = columns
        self.values = values
        self.conflict = conflict
    }

    /// Checks every name, the shape and every value, so a record that cannot be written is
    /// rejected at enqueue instead of blocking the writer later.
    public func validate() throws(StoreError) {
        guard table.contains("."), SQLIdentifier.isValid(String(table.split(separator: ".").last ?? "")) else {
            throw .invalidRecord(table: table, reason: "table must be schema-qualified (schema.table) with valid identifiers")
        }
        _ = try SQLIdentifier.quotedQualified(table)
        guard !columns.isEmpty, columns.count == values.count else {
            throw .invalidRecord(table: table, reason: "\(columns.count) columns but \(values.count) values")
        }
        for column in columns where !SQLIdentifier.isValid(column) { throw .invalidIdentifier(column) }
        guard Set(columns).count == columns.count else {
            throw .invalidRecord(table: table, reason: "duplicate column in \(columns)")
        }
        let key = conflict.key
        guard !key.isEmpty, Set(key).count == key.count, key.allSatisfy(columns.contains) else {
            throw .invalidRecord(table: table, reason: "conflict key \(key) must be distinct columns of \(columns)")
        }
        for (column, value) in zip(columns, values) { try value?.validate(field: "\(table).\(column)") }
    }

    /// Same table, columns and conflict: rows that can share one INSERT statement.
    func hasSameShape(as other: PersistedRecord) -> Bool {
        table == other.table && columns == other.columns && conflict == other.conflict
    }

    func keyValues() -> [PGValue?] {
        conflict.key.map { name in columns.firstIndex(of: name).flatMap { $0 < values.count ? values[$0] : nil } }
    }
}
