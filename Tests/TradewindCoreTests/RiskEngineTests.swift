import Testing
import TradewindCore

@Suite struct RiskEngineTests {
    private var intent = IntentBuilder()
    private let reports = ReportBuilder()

    private static func engine(maxOrderNotional: String = "10000", quotedAt mid: String? = "100") throws -> RiskEngine {
        try RiskFixtures.engine(.testing { $0.maxOrderNotional = usd(maxOrderNotional) }, quotedAt: mid)
    }

    @Test mutating func approvesOrderAndDerivesClientOrderId() throws {
        var engine = try Self.engine()
        let outputs = engine.apply(.intent(intent(.buy, "0.5", limit: "100")))
        guard case .approved(let order) = outputs.first else {
            Issue.record("expected approval, got \(outputs)")
            return
        }
        #expect(order.clientOrderId == "TW-i-1")
        #expect(order.intentId == "i-1")
        #expect(order.quantity == qty("0.5"))
        #expect(engine.pendingQuantity(TestInstruments.btcId, side: .buy) == qty("0.5"))
    }

    @Test mutating func allowsOrderExactlyAtMaxNotional() throws {
        var engine = try Self.engine(quotedAt: "10000")
        #expect(isApproved(engine.apply(.intent(intent(.buy, "1", limit: "10000")))))
    }

    @Test mutating func deniesOrderExceedingMaxNotional() throws {
        var engine = try Self.engine(maxOrderNotional: "9999.99999999", quotedAt: "10000")
        let outputs = engine.apply(.intent(intent(.buy, "1", limit: "10000")))
        #expect(denialReason(outputs) == .maxOrderNotional)
        guard case .denied(let denial) = outputs.first else { return }
        #expect(denial.limit == "9999.99999999")
        #expect(denial.observed == "10000")
        #expect(denial.detail.contains("10000"))
    }

    @Test mutating func pricesMarketOrdersAtFarTouch() throws {
        var engine = try Self.engine(quotedAt: nil)
        _ = engine.apply(.quote(QuoteBuilder(bid: px("9999"), ask: px("10000")).build()))
        #expect(isApproved(engine.apply(.intent(intent(.buy, "1")))))
        var other = try Self.engine(quotedAt: nil)
        _ = other.apply(.quote(QuoteBuilder(bid: px("9999"), ask: px("10000.01")).build()))
        #expect(denialReason(other.apply(.intent(intent(.buy, "1")))) == .maxOrderNotional)
        #expect(isApproved(other.apply(.intent(intent(.sell, "1")))))
    }

    @Test mutating func deniesOrdersWithoutQuote() throws {
        var engine = try Self.engine(quotedAt: nil)
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1")))) == .noMarketPrice)
        #expect(denialReason(engine.apply(.intent(intent(.sell, "0.1", instrument: TestInstruments.ethId)))) == .noMarketPrice)
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1", limit: "100")))) == .noMarketPrice)
    }

    @Test mutating func deniesOrdersAgainstOneSidedQuote() throws {
        var engine = try Self.engine(quotedAt: nil)
        _ = engine.apply(.quote(QuoteBuilder(bid: .zero, ask: px("101")).build()))
        #expect(denialReason(engine.apply(.intent(intent(.sell, "0.1")))) == .noMarketPrice)
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1", limit: "100")))) == .noMarketPrice)
    }

    @Test mutating func deniesInstrumentNotAllowed() throws {
        var engine = try Self.engine()
        let other = try InstrumentId(parsing: "SIM:DOGEUSDT")
        #expect(denialReason(engine.apply(.intent(intent(.buy, "1", limit: "1", instrument: other)))) == .instrumentNotAllowed)
    }

    @Test(arguments: ["0", "-1", "0.0005", "0.0011"])
    mutating func deniesInvalidQuantity(quantity: String) throws {
        var engine = try Self.engine()
        #expect(denialReason(engine.apply(.intent(intent(.buy, quantity, limit: "100")))) == .invalidQuantity)
    }

    @Test mutating func deniesQuantityBelowMinimum() throws {
        var engine = try Self.engine()
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.009", limit: "100", instrument: TestInstruments.ethId)))) == .invalidQuantity)
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.01", limit: "100", instrument: TestInstruments.ethId)))))
    }

    @Test(arguments: ["0", "-5", "100.005"])
    mutating func deniesInvalidLimitPrice(price: String) throws {
        var engine = try Self.engine()
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1", limit: price)))) == .invalidPrice)
    }

    @Test mutating func deniesLimitOrderWithoutPrice() throws {
        var engine = try Self.engine()
        var limitless = intent(.buy, "0.1", limit: "100")
        limitless.limitPrice = nil
        #expect(denialReason(engine.apply(.intent(limitless))) == .invalidPrice)
    }

    @Test mutating func allowsPositionExactlyAtLimitAndDeniesOneLotAbove() throws {
        var engine = try Self.engine()
        #expect(denialReason(engine.apply(.intent(intent(.buy, "1.001", limit: "100")))) == .maxPosition)
        #expect(isApproved(engine.apply(.intent(intent(.buy, "1", limit: "100")))))
    }

    @Test mutating func usesDefaultPositionLimit() throws {
        var engine = try Self.engine()
        #expect(denialReason(engine.apply(.intent(intent(.sell, "0.51", limit: "100", instrument: TestInstruments.ethId)))) == .maxPosition)
        #expect(isApproved(engine.apply(.intent(intent(.sell, "0.5", limit: "100", instrument: TestInstruments.ethId)))))
    }

    @Test mutating func countsPendingExposureUntilReleased() throws {
        var engine = try Self.engine()
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.6", limit: "100")))))
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.4", limit: "100")))))
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.001", limit: "100")))) == .maxPosition)
        // Pending buys do not count against sells: worst case for sells is -1.
        #expect(isApproved(engine.apply(.intent(intent(.sell, "1", limit: "100")))))
        _ = engine.apply(.executionReport(reports.terminal("TW-i-1", .buy, .canceled, status: .canceled)))
        #expect(engine.pendingQuantity(TestInstruments.btcId, side: .buy) == qty("0.4"))
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.6", limit: "100")))))
    }

    @Test mutating func fillsMovePendingIntoPosition() throws {
        var engine = try Self.engine()
        _ = engine.apply(.intent(intent(.buy, "0.8", limit: "100")))
        _ = engine.apply(.executionReport(reports.fill("TW-i-1", .buy, "0.3", at: "100", tradeId: "F1", status: .partiallyFilled)))
        _ = engine.apply(.executionReport(reports.fill("TW-i-1", .buy, "0.3", at: "100", tradeId: "F1", status: .partiallyFilled)))
        #expect(engine.positions[TestInstruments.btcId] == qty("0.3"))
        #expect(engine.pendingQuantity(TestInstruments.btcId, side: .buy) == qty("0.5"))
        _ = engine.apply(.executionReport(reports.fill("TW-i-1", .buy, "0.5", at: "100", tradeId: "F2", status: .filled)))
        #expect(engine.positions[TestInstruments.btcId] == qty("0.8"))
        #expect(engine.pendingOrders.isEmpty)
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.2", limit: "100")))))
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.001", limit: "100")))) == .maxPosition)
        #expect(isApproved(engine.apply(.intent(intent(.sell, "1.8", limit: "100")))))
    }

    @Test mutating func haltDeniesEverythingUntilResume() throws {
        var engine = try Self.engine()
        let changed = engine.apply(.command(TradingStateCommand(event: .halt, reason: "operator", timeNs: 1)))
        #expect(changed == [.tradingStateChanged(from: .active, to: .halted, reason: "operator")])
        #expect(engine.apply(.command(TradingStateCommand(event: .halt, reason: "again", timeNs: 2))).isEmpty)
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1", limit: "100")))) == .tradingHalted)
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1")))) == .tradingHalted)
        _ = engine.apply(.command(TradingStateCommand(event: .resume, reason: "ok", timeNs: 3)))
        #expect(engine.tradingState == .active)
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.1", limit: "100")))))
    }

    @Test mutating func reducingAllowsOnlyShrinkingWithoutFlip() throws {
        var engine = try Self.engine()
        _ = engine.apply(.executionReport(reports.fill("TW-x", .buy, "0.5", at: "100", tradeId: "F1")))
        _ = engine.apply(.command(TradingStateCommand(event: .reduce, reason: "drawdown", timeNs: 1)))
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.001", limit: "100")))) == .tradingReducing)
        #expect(denialReason(engine.apply(.intent(intent(.sell, "0.501", limit: "100")))) == .tradingReducing)
        #expect(isApproved(engine.apply(.intent(intent(.sell, "0.3", limit: "100")))))
        #expect(denialReason(engine.apply(.intent(intent(.sell, "0.3", limit: "100")))) == .tradingReducing)
        #expect(isApproved(engine.apply(.intent(intent(.sell, "0.2", limit: "100")))))
        #expect(denialReason(engine.apply(.intent(intent(.sell, "0.1", limit: "100", instrument: TestInstruments.ethId)))) == .tradingReducing)
    }

    @Test mutating func replayedIntentIsIdempotent() throws {
        var engine = try Self.engine()
        let original = intent(.buy, "0.5", limit: "100")
        let first = engine.apply(.intent(original))
        #expect(engine.apply(.intent(original)) == first)
        #expect(engine.pendingQuantity(TestInstruments.btcId, side: .buy) == qty("0.5"))
        _ = engine.apply(.executionReport(reports.terminal("TW-i-1", .buy, .rejected, status: .rejected)))
        #expect(denialReason(engine.apply(.intent(original))) == .duplicateIntent)
    }

    @Test func denialCodesAreStable() {
        #expect(RiskDenialReason.allCases.map(\.code) == [
            "INVALID_INTENT", "KILL_SWITCH", "TRADING_HALTED", "DUPLICATE_INTENT", "INSTRUMENT_NOT_ALLOWED",
            "INVALID_QUANTITY", "MAX_ORDER_QUANTITY", "INVALID_PRICE", "MAX_OPEN_ORDERS", "CIRCUIT_OPEN",
            "TRADING_REDUCING", "DAILY_LOSS_LIMIT", "MAX_DRAWDOWN", "NO_MARKET_PRICE", "STALE_QUOTE",
            "PRICE_COLLAR", "MAX_ORDER_NOTIONAL", "MAX_POSITION", "MAX_GROSS_EXPOSURE",
            "RATE_LIMIT_STRATEGY", "RATE_LIMIT_GLOBAL",
        ])
        #expect(RiskDenialReason.maxOrderNotional.metricLabel == "max_order_notional")
        #expect(RiskDenialReason.allCases.allSatisfy { $0.metricLabel == $0.code.lowercased() })
    }

    @Test mutating func releasesExposureOfAnOrderNeverAcknowledged() throws {
        var engine = try Self.engine()
        let approved = engine.apply(.intent(intent(.buy, "0.6", limit: "100")))
        #expect(isApproved(approved))
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.6", limit: "100")))) == .maxPosition)
        let timeout = engine.limits.unacknowledgedOrderTimeoutNs
        #expect(engine.apply(.clock(timeNs: 1_000 + timeout)).isEmpty, "exactly at the deadline it still counts")
        let expired = engine.apply(.clock(timeNs: 1_001 + timeout))
        guard case .approved(let order) = approved.first, expired == [.pendingExpired(order)] else {
            Issue.record("expected the order to expire, got \(expired)")
            return
        }
        #expect(engine.pendingQuantity(TestInstruments.btcId, side: .buy) == .zero)
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.6", limit: "100")))))
    }

    @Test mutating func keepsExposureOfAnAcknowledgedOrder() throws {
        var engine = try Self.engine()
        guard case .approved(let order)? = engine.apply(.intent(intent(.buy, "0.6", limit: "100"))).first else {
            Issue.record("expected approval")
            return
        }
        _ = engine.apply(.executionReport(reports.fill(order.clientOrderId, .buy, "0.1", at: "100", tradeId: "t1", status: .partiallyFilled)))
        #expect(engine.apply(.clock(timeNs: order.timeNs + engine.limits.unacknowledgedOrderTimeoutNs * 10)).isEmpty)
        #expect(engine.pendingQuantity(TestInstruments.btcId, side: .buy) == qty("0.5"))
    }
}
