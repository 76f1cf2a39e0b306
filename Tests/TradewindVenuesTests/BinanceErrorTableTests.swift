import Testing
import TradewindCore
import TradewindVenues

private func http(_ status: Int, _ code: Int?, _ message: String = "m", retryAfter: Int64? = nil) -> BinanceFailure {
    .http(status: status, code: code, message: message, retryAfterSeconds: retryAfter)
}

@Suite struct BinanceErrorTableTests {
    @Test(arguments: [
        (http(429, -1003), "rate_limited"),
        (http(418, -1003), "rate_limited"),
        (http(429, nil, "Too Many Requests"), "rate_limited"),
        (http(400, -1015), "rate_limited"),
        (http(400, -1021), "transient"),
        (http(503, -1001), "transient"),
        (http(503, -1008), "transient"),
        (http(503, nil, "Service Unavailable."), "transient"),
        (.connectFailed("refused"), "transient"),
        (http(500, -1000), "transient"),
        (http(504, -1007), "transient"),
        (http(500, -1006), "transient"),
        (http(502, nil, "Bad Gateway"), "transient"),
        (.timedOut("t"), "transient"),
        (.connectionLost("reset"), "transient"),
        (.malformedResponse("x"), "transient"),
        (http(400, -2013, "Order does not exist."), "not_found"),
        (http(400, -2011, "Unknown order sent."), "not_found"),
        (http(400, -2011, "Order was canceled or expired."), "rejected"),
        (http(400, -2010, "Account has insufficient balance for requested action."), "rejected"),
        (http(400, -1013, "Filter failure: LOT_SIZE"), "rejected"),
        (http(400, -1100), "rejected"),
        (http(400, -1102), "rejected"),
        (http(400, -1131), "rejected"),
        (http(400, -1022), "rejected"),
        (http(401, -2014), "rejected"),
        (http(401, -2015), "rejected"),
        (http(403, nil, "WAF"), "rejected"),
    ] as [(BinanceFailure, String)])
    func classifiesReads(failure: BinanceFailure, kind: String) {
        #expect(BinanceErrorTable.classify(failure, kind: .read).kind == kind)
    }

    @Test(arguments: [
        (http(500, -1000), "unknown_outcome"),
        (http(504, -1007), "unknown_outcome"),
        (http(500, -1006), "unknown_outcome"),
        (http(500, nil, "Internal Server Error"), "unknown_outcome"),
        (http(503, nil, "Unknown error, please check your request or try again later."), "unknown_outcome"),
        (.timedOut("t"), "unknown_outcome"),
        (.connectionLost("reset"), "unknown_outcome"),
        (.malformedResponse("x"), "unknown_outcome"),
        (.connectFailed("refused"), "transient"),
        (http(503, nil, "Service Unavailable."), "transient"),
        (http(503, -1001), "transient"),
        (http(400, -1021), "transient"),
        (http(429, -1003), "rate_limited"),
        (http(400, -2010), "rejected"),
    ] as [(BinanceFailure, String)])
    func classifiesOrderPlacementAndCancels(failure: BinanceFailure, kind: String) {
        #expect(BinanceErrorTable.classify(failure, kind: .placeOrder).kind == kind)
        #expect(BinanceErrorTable.classify(failure, kind: .cancelOrder).kind == kind)
    }

    @Test func rateLimitCarriesRetryAfterInNanoseconds() {
        #expect(BinanceErrorTable.classify(http(429, -1003, "slow down", retryAfter: 3), kind: .read)
            == .rateLimited(retryAfterNs: 3_000_000_000, message: "-1003 slow down"))
        #expect(BinanceErrorTable.classify(http(429, -1003, "slow down"), kind: .read)
            == .rateLimited(retryAfterNs: nil, message: "-1003 slow down"))
    }

    @Test func refusalKeepsBinanceCodeAndMessage() {
        #expect(BinanceErrorTable.classify(http(400, -1121, "Invalid symbol."), kind: .placeOrder)
            == .rejected(.invalidParameter, code: "-1121", message: "Invalid symbol."))
    }

    @Test(arguments: [
        (http(400, -2010, "Duplicate order sent."), OrderReasonCode.duplicateClientOrderId),
        (http(400, -2010, "Account has insufficient balance for requested action."), .insufficientBalance),
        (http(400, -2010, "Order would immediately match and take."), .rejectedAtVenue),
        (http(400, -2011, "Order was canceled or expired."), .cancelRejected),
        (http(400, -1013, "Filter failure: LOT_SIZE"), .filterFailure),
        (http(400, -1100, "Illegal characters found in a parameter."), .invalidParameter),
        (http(400, -1121, "Invalid symbol."), .invalidParameter),
        (http(400, -1131, "recvWindow must be less than 60000"), .invalidParameter),
        (http(401, -1002, "You are not authorized to execute this request."), .unauthorized),
        (http(400, -1022, "Signature for this request is not valid."), .unauthorized),
        (http(401, -2014, "API-key format invalid."), .unauthorized),
        (http(401, -2015, "Invalid API-key, IP, or permissions for action."), .unauthorized),
        (http(400, -9999, "Something new."), .rejectedAtVenue),
        (http(401, nil, "Unauthorized"), .unauthorized),
        (http(403, nil, "WAF"), .rejectedAtVenue),
    ] as [(BinanceFailure, OrderReasonCode)])
    func refusalCarriesItsStableReasonCode(failure: BinanceFailure, code: OrderReasonCode) throws {
        guard case .rejected(let reason, let binanceCode, let message) = BinanceErrorTable.classify(failure, kind: .placeOrder),
              case .http(let status, let wireCode, let wireMessage, _) = failure
        else {
            Issue.record("expected a refusal for \(failure)")
            return
        }
        #expect(reason == code)
        #expect(binanceCode == wireCode.map { "\($0)" } ?? "HTTP \(status)" && message == wireMessage)
        #expect(!reason.isLocal, "the venue refused it: never a local reason")
    }

    @Test func onlyTimestampErrorsAskForClockResync() {
        #expect(BinanceErrorTable.needsClockResync(http(400, -1021)))
        #expect(!BinanceErrorTable.needsClockResync(http(400, -1022)))
        #expect(!BinanceErrorTable.needsClockResync(.timedOut("t")))
    }
}
