/// Applies a daemon's migrations to its schema at start-up: in one transaction holding an
/// advisory lock keyed by the schema, so two processes migrating at once are safe (the second
/// waits, then finds nothing to do), and a failing step leaves no trace.
public struct Migrator: Sendable {
    public let schema: String
    public let migrations: [Migration]

    public init(schema: String, migrations: [Migration]) {
        self.schema = schema
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// The advisory lock key: a stable 64-bit hash of the schema name.
    public var lockKey: Int64 { Int64(bitPattern: FNV1a.hash64("tradewind.migrate:\(schema)")) }

    /// Applies every pending migration in version order; returns the versions applied now
    /// (empty when up to date). Throws `migrationFailed` naming the version that failed, or
    /// `migrationChecksumMismatch` if an applied migration's SQL has changed.
    @discardableResult
    public func migrate(_ connection: PGConnection) throws(StoreError) -> [Int] {
        let quotedSchema = try SQLIdentifier.quoted(schema)
        try validate()
        return try connection.transaction(typed: { () throws(StoreError) -> [Int] in
            try connection.execute("SELECT pg_advisory_xact_lock($1)", [.int(lockKey)])
            try connection.executeScript("""
                CREATE SCHEMA IF NOT EXISTS \(quotedSchema);
                CREATE TABLE IF NOT EXISTS \(quotedSchema).schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now());
                SET LOCAL search_path TO \(quotedSchema)
                """)
            let applied = try appliedChecksums(connection, quotedSchema)
            var appliedNow: [Int] = []
            for migration in migrations {
                if let recorded = applied[migration.version] {
                    guard recorded == migration.checksum else {
                        throw .migrationChecksumMismatch(
                            schema: schema, version: migration.version, recorded: recorded, expected: migration.checksum)
                    }
                    continue
                }
                try apply(migration, connection, quotedSchema)
                appliedNow.append(migration.version)
            }
            return appliedNow
        })
    }

    private func validate() throws(StoreError) {
        let versions = migrations.map(\.version)
        if let bad = versions.first(where: { $0 <= 0 || $0 > Int(Int32.max) }) {
            throw .invalidMigrations(schema: schema, reason: "version \(bad) is not in 1...\(Int32.max)")
        }
        if Set(versions).count != versions.count {
            throw .invalidMigrations(schema: schema, reason: "duplicate versions in \(versions)")
        }
    }

    private func appliedChecksums(_ connection: PGConnection, _ quotedSchema: String) throws(StoreError) -> [Int: String] {
        let rows = try connection.execute("SELECT version, checksum FROM \(quotedSchema).schema_migrations")
        var applied: [Int: String] = [:]
        for row in 0..<rows.rowCount {
            if let version = try rows.int64(row, "version") { applied[Int(version)] = try rows.string(row, "checksum") ?? "" }
        }
        return applied
    }

    private func apply(_ migration: Migration, _ connection: PGConnection, _ quotedSchema: String) throws(StoreError) {
        do {
            try connection.executeScript(migration.sql)
            try connection.execute(
                "INSERT INTO \(quotedSchema).schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                [.int(Int64(migration.version)), .text(migration.name), .text(migration.checksum)])
        } catch {
            let message = switch error {
            case .queryFailed(_, let sqlState, let message): "[\(sqlState ?? "no SQLSTATE")] \(message)"
            default: error.description
            }
            throw .migrationFailed(schema: schema, version: migration.version, message: message)
        }
    }
}
