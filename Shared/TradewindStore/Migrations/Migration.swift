import Crypto

/// One versioned step of a schema. `sql` runs with `search_path` set to the schema, inside the
/// migrator's transaction, so it must not contain BEGIN/COMMIT. Never edit an applied one.
public struct Migration: Sendable, Hashable {
    public var version: Int
    public var name: String
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// SHA-256 of the SQL text in hex, recorded when applied and compared on every start.
    public var checksum: String { Hex.encode(SHA256.hash(data: Array(sql.utf8))) }
}
