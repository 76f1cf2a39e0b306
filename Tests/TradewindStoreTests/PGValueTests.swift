import Testing
@testable import TradewindStore

@Suite struct PGValueTests {
    @Test(arguments: ["0", "-0.00000001", "92233720368.54775807", "+12", "123456789012345678901234567890.123456789"])
    func exactDecimalsAreSentVerbatim(decimal: String) throws {
        #expect(try PGValue.numeric(decimal).rendered() == decimal)
    }

    @Test(arguments: ["", "1e5", "NaN", "1.", ".5", "1,5", "12 ", "--1", "0x10", "1.2.3"])
    func malformedDecimalsAreRejected(decimal: String) {
        #expect(throws: StoreError.self) { try PGValue.numeric(decimal).rendered() }
    }

    @Test func textWithNulIsRejectedBeforeSending() {
        #expect {
            try PGValue.text("a\u{0}b").rendered(field: "notes")
        } throws: { error in
            guard case StoreError.invalidValue(let field, let reason) = error else { return false }
            return field == "notes" && reason.contains("NUL")
        }
    }

    @Test func bytesRenderAsByteaHex() throws {
        #expect(try PGValue.bytes([0, 1, 0xfe, 0xff]).rendered() == "\\x0001feff")
        #expect(try PGValue.bool(true).rendered() == "t")
        #expect(try PGValue.int(Int64.min).rendered() == "-9223372036854775808")
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01 00:00:00.000000+00", Int64(0)),
        (1_709_296_496_123_456_789, "2024-03-01 12:34:56.123456+00", 1_709_296_496_123_456_000),
        (-1, "1969-12-31 23:59:59.999999+00", -1_000),
        (951_782_400_000_000_000, "2000-02-29 00:00:00.000000+00", 951_782_400_000_000_000),
    ])
    func timestampsRenderAsUTCFlooredToTheMicrosecond(nanoseconds: Int64, text: String, parsed: Int64) throws {
        #expect(try PGValue.timestampNs(nanoseconds).rendered() == text)
        #expect(PGTimestamp.parse(text) == parsed)
    }

    @Test func timestampParsingAcceptsShortFractions() {
        #expect(PGTimestamp.parse("2024-03-01 12:34:56+00") == 1_709_296_496_000_000_000)
        #expect(PGTimestamp.parse("2024-03-01 12:34:56.5+00") == 1_709_296_496_500_000_000)
        #expect(PGTimestamp.parse("2024-03-01 12:34:56.5+02") == nil)
    }

    @Test(arguments: [
        ("postgresql://trader:s3cret@db:5432/tradewind", "postgresql://trader:***@db:5432/tradewind"),
        ("postgresql:///tradewind?host=/tmp&password=hunter2&user=x", "postgresql:///tradewind?host=/tmp&password=***&user=x"),
        ("host=db password=pw user=u", "host=db password=*** user=u"),
        ("postgresql:///tradewind?host=/run/sock", "postgresql:///tradewind?host=/run/sock"),
    ])
    func connectionURLsHideTheirPassword(url: String, redacted: String) {
        #expect(ConnectionURL.redacted(url) == redacted)
    }

    @Test(arguments: ["orders", "_x1", "a_b_c"])
    func validIdentifiersAreQuoted(name: String) throws {
        #expect(try SQLIdentifier.quoted(name) == "\"\(name)\"")
    }

    @Test(arguments: ["", "Orders", "1abc", "a-b", "a;drop", "a\"b", "ä", String(repeating: "a", count: 64)])
    func invalidIdentifiersAreRejected(name: String) {
        #expect(throws: StoreError.invalidIdentifier(name)) { try SQLIdentifier.quoted(name) }
    }

    @Test func qualifiedNamesQuoteEachPart() throws {
        #expect(try SQLIdentifier.quotedQualified("exec.orders") == "\"exec\".\"orders\"")
        #expect(throws: StoreError.self) { try SQLIdentifier.quotedQualified("a.b.c") }
        #expect(throws: StoreError.self) { try SQLIdentifier.quotedQualified("exec.") }
    }
}
