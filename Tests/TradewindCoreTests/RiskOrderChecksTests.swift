import Testing
import TradewindCore

/// Per-order checks added for RTS 6 / 15c3-5 depth: each passes exactly at its limit and fails just past it.
@Suite struct RiskOrderChecksTests {
    private var intent = IntentBuilder()

    @Test mutating func deniesIntentWithoutIdOrStrategy() throws {
        var engine = try RiskFixtures.engine()
        var anonymous = intent(.buy, "0.1", limit: "100")
        anonymous.strategy = ""
        #expect(denialReason(engine.apply(.intent(anonymous))) == .invalidIntent)
        var unnamed = intent(.buy, "0.1", limit: "100")
        unnamed.intentId = ""
        #expect(denialReason(engine.apply(.intent(unnamed))) == .invalidIntent)
    }

    @Test mutating func allowsOrderQuantityAtMaximumAndDeniesOneLotAbove() throws {
        var engine = try RiskFixtures.engine(.testing { $0.maxOrderQuantity[TestInstruments.btcId] = qty("0.5") })
        let outputs = engine.apply(.intent(intent(.buy, "0.501", limit: "100")))
        #expect(denialReason(outputs) == .maxOrderQuantity)
        if case .denied(let denial)? = outputs.first {
            #expect(denial.limit == "0.5")
            #expect(denial.observed == "0.501")
        }
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.5", limit: "100")))))
    }

    @Test mutating func acceptsQuoteExactlyAtMaximumAgeAndDeniesOneNanosecondOlder() throws {
        var engine = try RiskFixtures.engine(.testing { $0.maxQuoteAgeNs = 500 }, quotedAt: nil)
        _ = engine.apply(.quote(QuoteBuilder.mid("100", timeNs: 10_000)))
        let stale = engine.apply(.intent(intent(.buy, "0.1", limit: "100").at(10_501)))
        #expect(denialReason(stale) == .staleQuote)
        if case .denied(let denial)? = stale.first {
            #expect(denial.limit == "0.0000005")
            #expect(denial.observed == "0.0000005")
            #expect(denial.detail.contains("501 ns"))
        }
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.1", limit: "100").at(10_500)))))
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1").at(10_501)))) == .staleQuote, "market orders too")
    }

    @Test mutating func acceptsLimitPriceOnTheCollarEdgeAndDeniesOneTickOutside() throws {
        var engine = try RiskFixtures.engine(.testing { $0.priceCollarBps = 100 })
        let above = engine.apply(.intent(intent(.buy, "0.01", limit: "101.01")))
        #expect(denialReason(above) == .priceCollar)
        if case .denied(let denial)? = above.first {
            #expect(denial.limit == "100")
            #expect(denial.observed == "101")
        }
        #expect(denialReason(engine.apply(.intent(intent(.sell, "0.01", limit: "98.99")))) == .priceCollar)
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.01", limit: "101")))))
        #expect(isApproved(engine.apply(.intent(intent(.sell, "0.01", limit: "99")))))
    }

    @Test mutating func collarDoesNotApplyToMarketOrders() throws {
        var engine = try RiskFixtures.engine(.testing { $0.priceCollarBps = 1 })
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.01")))))
    }

    @Test mutating func allowsOpenOrdersUpToMaximumAndFreesSlotsOnTerminalReports() throws {
        var engine = try RiskFixtures.engine(.testing { $0.maxOpenOrders = 2 })
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.1", limit: "100")))))
        #expect(isApproved(engine.apply(.intent(intent(.sell, "0.1", limit: "100")))))
        let denied = engine.apply(.intent(intent(.buy, "0.1", limit: "100")))
        #expect(denialReason(denied) == .maxOpenOrders)
        if case .denied(let denial)? = denied.first {
            #expect(denial.limit == "2")
            #expect(denial.observed == "3")
        }
        _ = engine.apply(.executionReport(RiskFixtures.report("TW-i-1", .canceled, status: .canceled)))
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.1", limit: "100")))))
    }

    @Test mutating func allowsGrossExposureAtCapAndDeniesOneLotAbove() throws {
        var engine = try RiskFixtures.engine(.testing { $0.maxGrossExposure = usd("50") })
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.3", limit: "100")))))
        let denied = engine.apply(.intent(intent(.buy, "0.201", limit: "100", instrument: TestInstruments.ethId)))
        #expect(denialReason(denied) == .maxGrossExposure)
        if case .denied(let denial)? = denied.first {
            #expect(denial.limit == "50")
            #expect(denial.observed == "50.1")
        }
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.2", limit: "100", instrument: TestInstruments.ethId)))))
    }

    @Test mutating func grossExposureCountsTheWorseSideOfEachInstrument() throws {
        var engine = try RiskFixtures.engine(.testing { $0.maxGrossExposure = usd("50") })
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.5", limit: "100")))))
        #expect(isApproved(engine.apply(.intent(intent(.sell, "0.5", limit: "100")))), "the sell side is no worse than the buy side")
        #expect(denialReason(engine.apply(.intent(intent(.sell, "0.001", limit: "100")))) == .maxGrossExposure)
        #expect(engine.grossExposure == usd("50"))
    }

    @Test mutating func ordersThatDoNotAddExposurePassAboveTheCap() throws {
        var engine = try RiskFixtures.engine(.testing { $0.maxGrossExposure = usd("50") })
        _ = engine.apply(.executionReport(RiskFixtures.fill("TW-x", .buy, "0.6", at: "100", tradeId: "F1")))
        #expect(engine.grossExposure == usd("60"))
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.001", limit: "100")))) == .maxGrossExposure)
        #expect(isApproved(engine.apply(.intent(intent(.sell, "0.1", limit: "100")))))
    }

    @Test mutating func grossExposureUsesQuoteMidsAsReferencePrices() throws {
        var engine = try RiskFixtures.engine(.testing { $0.maxGrossExposure = usd("100") })
        _ = engine.apply(.executionReport(RiskFixtures.fill("TW-x", .buy, "0.5", at: "100", tradeId: "F1")))
        _ = engine.apply(.quote(QuoteBuilder.mid("200")))
        #expect(engine.grossExposure == usd("100"))
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.001", limit: "200")))) == .maxGrossExposure)
        _ = engine.apply(.quote(QuoteBuilder.mid("199.6")))
        #expect(engine.grossExposure == usd("99.8"))
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.001", limit: "199.6")))))
    }

    @Test mutating func checksRunCheapFirst() throws {
        var engine = try RiskFixtures.engine(.testing { limits in
            limits.maxOrderQuantity[TestInstruments.btcId] = qty("0.1")
            limits.maxQuoteAgeNs = 1
        })
        _ = engine.apply(.command(TradingStateCommand(event: .halt, reason: "test", timeNs: 1)))
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.2", limit: "100.005")))) == .tradingHalted)
        _ = engine.apply(.command(TradingStateCommand(event: .resume, reason: "test", timeNs: 2)))
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.2", limit: "100.005")))) == .maxOrderQuantity)
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1", limit: "100.005")))) == .invalidPrice)
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1", limit: "100")))) == .staleQuote)
    }
}
