import Testing
import TradewindStore

@Suite struct PGConnectionTests {
    static let hostileTexts: [String] = [
        "'; DROP TABLE x; --",
        "Robert'); DROP TABLE students;--",
        "back\\slash \\x00 \\\\ \\'",
        "$1 $2 :name ? %s",
        "emoji 🚀📈 family 👨‍👩‍👧‍👦 flag 🇯🇵",
        "RTL: שלום עולם مرحبا \u{202E}override",
        "combining e\u{0301} a\u{0308}\u{0323} zalgo ẑ̸̛a̵l̷g̶o",
        "tabs\tnewlines\n\r\u{0B}\u{0C} and \u{7F} DEL",
        "",
        " ",
    ]

    @Test(arguments: hostileTexts)
    func hostileTextRoundTripsExactly(text: String) async throws {
        let back = try await TestDatabase.withConnection { connection in
            try connection.executeScript("CREATE TEMP TABLE t (id int PRIMARY KEY, v text)")
            try connection.execute("INSERT INTO t (id, v) VALUES ($1, $2)", [.int(1), .text(text)])
            return try connection.execute("SELECT v, length(v) AS n FROM t WHERE id = $1", [.int(1)]).string(0, "v")
        }
        #expect(back == text)
    }

    @Test func everyValueKindRoundTrips() async throws {
        let bytes: [UInt8] = (0...255).map(UInt8.init) + [0, 0, 0x5c, 0x78]
        let row = try await TestDatabase.withConnection { connection in
            try connection.executeScript("""
                CREATE TEMP TABLE kinds (id bigint PRIMARY KEY, t text, i bigint, b boolean, y bytea,
                                         ts timestamptz, n numeric, nn numeric, absent text)
                """)
            try connection.execute(
                "INSERT INTO kinds VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                [.int(Int64.max), .text("x"), .int(Int64.min), .bool(false), .bytes(bytes),
                 .timestampNs(1_709_296_496_123_456_789), .numeric("-0.00000001"), .numeric("92233720368.54775807"), nil])
            let result = try connection.execute("SELECT * FROM kinds")
            return Row(
                id: try result.int64(0, "id"), t: try result.string(0, "t"), i: try result.int64(0, "i"),
                b: try result.bool(0, "b"), y: try result.bytes(0, "y"), ts: try result.timestampNs(0, "ts"),
                n: try result.numeric(0, "n"), nn: try result.numeric(0, "nn"), absent: try result.string(0, "absent"),
                columns: result.columnNames)
        }
        #expect(row.id == Int64.max)
        #expect(row.t == "x")
        #expect(row.i == Int64.min)
        #expect(row.b == false)
        #expect(row.y == bytes)
        #expect(row.ts == 1_709_296_496_123_456_000)
        #expect(row.n == "-0.00000001")
        #expect(row.nn == "92233720368.54775807")
        #expect(row.absent == nil)
        #expect(row.columns == ["id", "t", "i", "b", "y", "ts", "n", "nn", "absent"])
    }

    struct Row: Sendable {
        var id: Int64?
        var t: String?
        var i: Int64?
        var b: Bool?
        var y: [UInt8]?
        var ts: Int64?
        var n, nn, absent: String?
        var columns: [String]
    }

    @Test func aOneMegabyteStringRoundTrips() async throws {
        let big = String(repeating: "0123456789abcdé🚀", count: 1 << 20 / 16)
        let back = try await TestDatabase.withConnection { connection in
            try connection.execute("SELECT $1::text AS v", [.text(big)]).string(0, "v")
        }
        #expect(back == big)
    }

    @Test func nulInTextIsRejectedAndBytesKeepIt() async throws {
        let outcome = try await TestDatabase.withConnection { connection -> (String, [UInt8]?) in
            let rejection: String
            do {
                try connection.execute("SELECT $1::text", [.text("a\u{0}b")])
                rejection = "accepted"
            } catch {
                rejection = "\(error)"
            }
            let bytes = try connection.execute("SELECT $1::bytea AS v", [.bytes([0x61, 0, 0x62])]).bytes(0, "v")
            return (rejection, bytes)
        }
        #expect(outcome.0.contains("NUL"))
        #expect(outcome.1 == [0x61, 0, 0x62])
    }

    @Test func failedStatementsCarrySQLStateAndMessage() async throws {
        let error = try await TestDatabase.withConnection { connection -> StoreError? in
            do {
                try connection.execute("SELECT * FROM no_such_table_anywhere")
                return nil
            } catch let error as StoreError {
                return error
            }
        }
        guard case .queryFailed(let sql, let sqlState, let message)? = error else {
            Issue.record("expected queryFailed, got \(String(describing: error))")
            return
        }
        #expect(sql == "SELECT * FROM no_such_table_anywhere")
        #expect(sqlState == "42P01")
        #expect(message.contains("no_such_table_anywhere"))
        #expect(error?.isPermanentDataError == true)
    }

    @Test func transactionsRollBackOnError() async throws {
        let count = try await TestDatabase.withConnection { connection in
            try connection.executeScript("CREATE TEMP TABLE r (id int PRIMARY KEY)")
            struct Boom: Error {}
            _ = try? connection.transaction { connection -> Void in
                try connection.execute("INSERT INTO r VALUES ($1)", [.int(1)])
                throw Boom()
            }
            _ = try connection.transaction { connection in try connection.execute("INSERT INTO r VALUES ($1)", [.int(2)]) }
            return try connection.execute("SELECT count(*) AS n, min(id) AS m FROM r").int64(0, "m")
        }
        #expect(count == 2)
    }

    @Test func connectionFailureNamesTheURLWithoutItsPassword() async throws {
        let error = try await TestDatabase.onThread { () -> StoreError? in
            do {
                _ = try PGConnection(url: "postgresql://u:topsecret@/db?host=/nonexistent-dir&port=1&connect_timeout=1")
                return nil
            } catch let error as StoreError {
                return error
            }
        }
        guard case .connectionFailed(let url, let message)? = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(!url.contains("topsecret"))
        #expect(url.contains("***"))
        #expect(!message.isEmpty)
    }

    @Test func closedConnectionsRefuseStatementsAndResetReconnects() async throws {
        let outcome = try await TestDatabase.withConnection { connection -> (Bool, Bool, StoreError?) in
            try connection.reset()
            let afterReset = try connection.execute("SELECT 1 AS one").int64(0, "one") == 1
            let wasConnected = connection.isConnected
            connection.close()
            do {
                try connection.execute("SELECT 1")
                return (afterReset, wasConnected, nil)
            } catch let error as StoreError {
                return (afterReset, wasConnected && !connection.isConnected, error)
            }
        }
        #expect(outcome.0)
        #expect(outcome.1)
        #expect(outcome.2 == .connectionClosed)
    }
}
