import Foundation
import Testing
import TradewindStore

@Suite struct MigratorTests {
    static let migrations = [
        Migration(version: 1, name: "orders", sql: "CREATE TABLE orders (id text PRIMARY KEY, qty numeric NOT NULL)"),
        Migration(version: 2, name: "fills", sql: """
            CREATE TABLE fills (order_id text NOT NULL REFERENCES orders(id), seq int NOT NULL, PRIMARY KEY (order_id, seq));
            CREATE INDEX fills_order ON fills (order_id)
            """),
        Migration(version: 3, name: "orders.state", sql: "ALTER TABLE orders ADD COLUMN state text NOT NULL DEFAULT 'new'"),
    ]

    private func migrate(_ schema: String, _ migrations: [Migration] = migrations) async throws -> [Int] {
        try await TestDatabase.withConnection { try Migrator(schema: schema, migrations: migrations).migrate($0) }
    }

    private func recordedVersions(_ schema: String) async throws -> [Int64] {
        try await TestDatabase.withConnection { connection in
            let rows = try connection.execute("SELECT version FROM \(schema).schema_migrations ORDER BY version")
            return try (0..<rows.rowCount).map { try rows.int64($0, "version") ?? -1 }
        }
    }

    private func tableNames(_ schema: String) async throws -> [String] {
        try await TestDatabase.withConnection { connection in
            let rows = try connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name", [.text(schema)])
            return try (0..<rows.rowCount).map { try rows.string($0, "table_name") ?? "" }
        }
    }

    @Test func appliesEveryMigrationFromEmptyInOrder() async throws {
        try await TestDatabase.withSchema(create: false) { schema async throws in
            #expect(try await migrate(schema) == [1, 2, 3])
            #expect(try await recordedVersions(schema) == [1, 2, 3])
            #expect(try await tableNames(schema) == ["fills", "orders", "schema_migrations"])
        }
    }

    @Test func runningAgainAppliesNothing() async throws {
        try await TestDatabase.withSchema(create: false) { schema async throws in
            #expect(try await migrate(schema, Array(Self.migrations.prefix(2))) == [1, 2])
            #expect(try await migrate(schema) == [3])
            #expect(try await migrate(schema) == [])
            #expect(try await recordedVersions(schema) == [1, 2, 3])
        }
    }

    @Test func twoProcessesMigratingAtOnceApplyEachVersionOnce() async throws {
        try await TestDatabase.withSchema(create: false) { schema async throws in
            // The first migration sleeps so both connections are inside migrate() together.
            let slow = [Migration(version: 1, name: "orders", sql: "SELECT pg_sleep(0.3); " + Self.migrations[0].sql)]
                + Self.migrations.dropFirst()
            async let first = migrate(schema, slow)
            async let second = migrate(schema, slow)
            let results = try await [first, second]
            #expect(results.contains([1, 2, 3]))
            #expect(results.contains([]))
            #expect(try await recordedVersions(schema) == [1, 2, 3])
        }
    }

    @Test func aFailingMigrationNamesItsVersionAndLeavesNoTrace() async throws {
        try await TestDatabase.withSchema(create: false) { schema async throws in
            #expect(try await migrate(schema, [Self.migrations[0]]) == [1])
            let broken = [
                Self.migrations[0],
                Migration(version: 2, name: "half", sql: "CREATE TABLE half (id int); CREATE TABLE broken (id no_such_type)"),
            ]
            await #expect {
                try await migrate(schema, broken)
            } throws: { error in
                guard case StoreError.migrationFailed(let failedSchema, let version, let message) = error else { return false }
                return failedSchema == schema && version == 2 && message.contains("no_such_type") && message.contains("42704")
            }
            #expect(try await recordedVersions(schema) == [1])
            #expect(try await tableNames(schema) == ["orders", "schema_migrations"])
        }
    }

    @Test func aFailingFirstMigrationLeavesNoSchemaBehind() async throws {
        let schema = TestDatabase.uniqueSchema()
        await #expect(throws: StoreError.self) {
            try await migrate(schema, [Migration(version: 1, name: "bad", sql: "CREATE TABLE x (")])
        }
        let exists = try await TestDatabase.withConnection { connection in
            try connection.execute("SELECT count(*) AS n FROM pg_namespace WHERE nspname = $1", [.text(schema)]).int64(0, "n")
        }
        #expect(exists == 0)
    }

    @Test func aChangedAppliedMigrationIsDetected() async throws {
        try await TestDatabase.withSchema(create: false) { schema async throws in
            #expect(try await migrate(schema) == [1, 2, 3])
            var edited = Self.migrations
            edited[1].sql += ";\nCREATE INDEX fills_seq ON fills (seq)"
            await #expect {
                try await migrate(schema, edited)
            } throws: { error in
                guard case StoreError.migrationChecksumMismatch(_, let version, let recorded, let expected) = error else { return false }
                return version == 2 && recorded == Self.migrations[1].checksum && expected == edited[1].checksum
            }
        }
    }

    @Test func duplicateVersionsAndBadSchemaNamesAreRejected() async throws {
        let duplicate = [Self.migrations[0], Migration(version: 1, name: "again", sql: "SELECT 1")]
        await #expect(throws: StoreError.self) { try await migrate(TestDatabase.uniqueSchema(), duplicate) }
        await #expect(throws: StoreError.invalidIdentifier("Bad-Schema")) { try await migrate("Bad-Schema") }
    }

    @Test func theLockKeyIsStablePerSchema() {
        #expect(Migrator(schema: "execution", migrations: []).lockKey == Migrator(schema: "execution", migrations: []).lockKey)
        #expect(Migrator(schema: "execution", migrations: []).lockKey != Migrator(schema: "risk", migrations: []).lockKey)
    }
}
