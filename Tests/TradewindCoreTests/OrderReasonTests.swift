import Foundation
import Testing
import TradewindCore

/// Every order reason code with its stable text and where it arises: the table the wire, the
/// database, the metric labels and the circuit breaker rely on.
private let codeTable: [(OrderReasonCode, String, OrderReasonOrigin)] = [
    (.invalidQuantity, "INVALID_QUANTITY", .local),
    (.invalidPrice, "INVALID_PRICE", .local),
    (.noMarketPrice, "NO_MARKET_PRICE", .local),
    (.staleMarketPrice, "STALE_MARKET_PRICE", .local),
    (.slippageGuard, "SLIPPAGE_GUARD", .local),
    (.slippageGuardConverted, "SLIPPAGE_GUARD_CONVERTED", .local),
    (.unknownInstrument, "UNKNOWN_INSTRUMENT", .local),
    (.invalidRequest, "INVALID_REQUEST", .local),
    (.venueUnavailable, "VENUE_UNAVAILABLE", .venueFailure),
    (.rateLimited, "RATE_LIMITED", .venueFailure),
    (.rejectedAtVenue, "REJECTED_AT_VENUE", .venueFailure),
    (.notFoundAtVenue, "NOT_FOUND_AT_VENUE", .venueFailure),
    (.noMarket, "NO_MARKET", .venueFailure),
    (.duplicateClientOrderId, "DUPLICATE_CLIENT_ORDER_ID", .venueFailure),
    (.insufficientBalance, "INSUFFICIENT_BALANCE", .venueFailure),
    (.filterFailure, "FILTER_FAILURE", .venueFailure),
    (.invalidParameter, "INVALID_PARAMETER", .venueFailure),
    (.unauthorized, "UNAUTHORIZED", .venueFailure),
    (.canceled, "CANCELED", .venueOutcome),
    (.unfilledRemainder, "UNFILLED_REMAINDER", .venueOutcome),
    (.canceledAtVenue, "CANCELED_AT_VENUE", .venueOutcome),
    (.expiredAtVenue, "EXPIRED_AT_VENUE", .venueOutcome),
    (.orderNotOpen, "ORDER_NOT_OPEN", .venueOutcome),
    (.unknownOrder, "UNKNOWN_ORDER", .venueOutcome),
    (.cancelRejected, "CANCEL_REJECTED", .venueOutcome),
    (.unknown, "UNKNOWN", .venueFailure),
]

@Suite struct OrderReasonCodeTests {
    @Test(arguments: codeTable)
    func codeHasItsStableTextAndOrigin(code: OrderReasonCode, text: String, origin: OrderReasonOrigin) {
        #expect(code.rawValue == text && code.code == text && code.description == text)
        #expect(OrderReasonCode(code: text) == code)
        #expect(code.origin == origin)
        #expect(code.isLocal == (origin == .local))
        #expect(code.isVenueFailure == (origin == .venueFailure))
    }

    @Test func theTableCoversEveryCodeOnce() {
        #expect(codeTable.map(\.0) == OrderReasonCode.allCases)
        #expect(Set(codeTable.map(\.1)).count == codeTable.count)
    }

    @Test(arguments: ["", "SOMETHING_NEW", "invalid_quantity", "LOCAL:INVALID_QUANTITY", "-2010"])
    func unknownTextReadsAsUnknown(text: String) throws {
        #expect(OrderReasonCode(code: text) == .unknown)
        let decoded = try JSONDecoder().decode(OrderReasonCode.self, from: Data("\"\(text)\"".utf8))
        #expect(decoded == .unknown)
    }

    @Test func aForeignCodeKeepsItsTextInTheDetail() {
        #expect(OrderReason(code: "SOMETHING_NEW", detail: "from a newer engine") == OrderReason(.unknown, "SOMETHING_NEW: from a newer engine"))
        #expect(OrderReason(code: "VENUE_UNAVAILABLE", detail: "503") == OrderReason(.venueUnavailable, "503"))
        #expect(OrderReason(code: "UNKNOWN", detail: "x") == OrderReason(.unknown, "x"))
        #expect(OrderReason(code: "", detail: "only text") == OrderReason(.unknown, "only text"))
    }
}

@Suite struct OrderReasonTests {
    @Test func describesItselfAsCodeAndDetail() {
        #expect(OrderReason(.canceled).description == "CANCELED")
        #expect(OrderReason(.venueUnavailable, "transient: 503").description == "VENUE_UNAVAILABLE: transient: 503")
    }

    @Test func encodesCodeAndDetailAndRoundTrips() throws {
        let reason = OrderReason(.insufficientBalance, "-2010: Account has insufficient balance for requested action.")
        let json = try JSONEncoder().encode(reason)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: String])
        #expect(object == ["code": "INSUFFICIENT_BALANCE", "detail": "-2010: Account has insufficient balance for requested action."])
        #expect(try JSONDecoder().decode(OrderReason.self, from: json) == reason)
    }

    @Test func decodesAnUnknownCodeWithoutFailing() throws {
        let json = Data(#"{"code":"FROM_THE_FUTURE","detail":"d"}"#.utf8)
        #expect(try JSONDecoder().decode(OrderReason.self, from: json) == OrderReason(.unknown, "d"))
    }

    @Test(arguments: [
        ("LOCAL:INVALID_QUANTITY", OrderReason(.invalidQuantity)),
        ("LOCAL:SLIPPAGE_GUARD", OrderReason(.slippageGuard)),
        ("VENUE_UNAVAILABLE: transient: 503", OrderReason(.venueUnavailable, "transient: 503")),
        ("NOT_FOUND_AT_VENUE", OrderReason(.notFoundAtVenue)),
        ("CANCELED", OrderReason(.canceled)),
        ("UNKNOWN_ORDER (-2011: Unknown order sent.)", OrderReason(.unknownOrder, "(-2011: Unknown order sent.)")),
        ("EXPIRED", OrderReason(.expiredAtVenue, "EXPIRED")),
        ("EXPIRED_IN_MATCH", OrderReason(.expiredAtVenue, "EXPIRED_IN_MATCH")),
        ("REJECTED", OrderReason(.rejectedAtVenue, "REJECTED")),
        ("SLIPPAGE_GUARD:CONVERTED_TO_IOC_LIMIT price=101.5 mid=101 collar_bps=50",
         OrderReason(.slippageGuardConverted, "price=101.5 mid=101 collar_bps=50")),
        ("-2010: Account has insufficient balance", OrderReason(.unknown, "-2010: Account has insufficient balance")),
        ("TOO_LATE", OrderReason(.unknown, "TOO_LATE")),
    ])
    func readsTheTextOfOlderBuilds(text: String, reason: OrderReason) throws {
        #expect(OrderReason(legacy: text) == reason)
        let json = try JSONEncoder().encode(text)
        #expect(try JSONDecoder().decode(OrderReason.self, from: json) == reason)
    }

    @Test func restoresAnOrderSavedByAnOlderBuild() throws {
        var order = Order(approved: approvedOrder("a", .buy, "1", limit: "100"))
        try order.apply(.submitted, timeNs: 2)
        try order.apply(.rejected(reason: OrderReason(.venueUnavailable, "x")), timeNs: 3)
        var state = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(order)) as? [String: Any])
        state["reason"] = "VENUE_UNAVAILABLE: transient: 503"
        let legacy = try JSONSerialization.data(withJSONObject: state)
        let restored = try JSONDecoder().decode(Order.self, from: legacy)
        #expect(restored.reason == OrderReason(.venueUnavailable, "transient: 503"))
        #expect(restored.status == .rejected)
    }

    @Test func readsAFillReportSavedByAnOlderBuild() throws {
        let fill = ReportBuilder().fill("TW-a", .buy, "1", at: "100", tradeId: "T1")
        var saved = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(fill)) as? [String: Any])
        #expect(saved["reason"] == nil)
        saved["rejectReason"] = ""
        let restored = try JSONDecoder().decode(ExecutionReport.self, from: JSONSerialization.data(withJSONObject: saved))
        #expect(restored == fill)
    }
}
