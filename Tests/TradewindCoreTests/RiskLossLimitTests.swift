import Testing
import TradewindCore

/// Daily loss and drawdown: pre-trade denials of non-reducing orders and the edge-triggered
/// automatic move to `breachAction`.
@Suite struct RiskLossLimitTests {
    private var intent = IntentBuilder()

    private static func engine(
        maxDailyLoss: String = "1000000", maxDrawdown: String = "1000000", action: TradingState = .halted
    ) throws -> RiskEngine {
        try RiskFixtures.engine(.testing { limits in
            limits.maxDailyLoss = usd(maxDailyLoss)
            limits.maxDrawdown = usd(maxDrawdown)
            limits.breachAction = action
        })
    }

    /// Long 1 at 100, then sold 0.5 at 80.02: realized -9.99 (one cent short of a 10 loss limit).
    private static func oneCentShortOfDailyLoss(_ engine: inout RiskEngine, timeNs: Int64 = 5) {
        _ = engine.apply(.executionReport(RiskFixtures.fill("TW-a", .buy, "1", at: "100", tradeId: "F1", timeNs: timeNs)))
        _ = engine.apply(.executionReport(RiskFixtures.fill("TW-b", .sell, "0.5", at: "80.02", tradeId: "F2", timeNs: timeNs)))
    }

    @Test(arguments: [TradingState.halted, .reducing])
    mutating func dailyLossBreachMovesToBreachActionExactlyAtTheLimit(action: TradingState) throws {
        var engine = try Self.engine(maxDailyLoss: "10", action: action)
        Self.oneCentShortOfDailyLoss(&engine)
        #expect(engine.dailyRealizedPnl == usd("-9.99"))
        #expect(engine.tradingState == .active)
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.001", limit: "100")))))
        let outputs = engine.apply(.executionReport(RiskFixtures.fill("TW-c", .buy, "0.001", at: "100", tradeId: "F3", fee: "0.01")))
        #expect(engine.dailyRealizedPnl == usd("-10"))
        let changes = stateChanges(outputs)
        #expect(changes.count == 1)
        #expect(changes.first?.from == .active)
        #expect(changes.first?.to == action)
        #expect(changes.first?.reason == "DAILY_LOSS_LIMIT: realized -10 <= -10")
        #expect(engine.tradingState == action)
        #expect(engine.breachLatches.dailyLoss)
    }

    @Test mutating func dailyLossDeniesOnlyOrdersThatDoNotReduce() throws {
        var engine = try Self.engine(maxDailyLoss: "10")
        Self.oneCentShortOfDailyLoss(&engine)
        _ = engine.apply(.executionReport(RiskFixtures.fill("TW-c", .sell, "0.001", at: "90", tradeId: "F3", fee: "0.01")))
        _ = engine.apply(.command(TradingStateCommand(event: .resume, reason: "operator", timeNs: 10)))
        let denied = engine.apply(.intent(intent(.buy, "0.001", limit: "100")))
        #expect(denialReason(denied) == .dailyLossLimit)
        if case .denied(let denial)? = denied.first {
            #expect(denial.limit == "-10")
            #expect(denial.observed == "-10.01")
        }
        #expect(denialReason(engine.apply(.intent(intent(.sell, "0.5", limit: "100")))) == .dailyLossLimit, "flips the 0.499 long")
        #expect(isApproved(engine.apply(.intent(intent(.sell, "0.4", limit: "100")))))
        #expect(denialReason(engine.apply(.intent(intent(.sell, "0.1", limit: "100")))) == .dailyLossLimit, "counts the pending 0.4")
        #expect(isApproved(engine.apply(.intent(intent(.sell, "0.099", limit: "100")))))
    }

    @Test mutating func breachDoesNotFireAgainWhileLatched() throws {
        var engine = try Self.engine(maxDailyLoss: "10")
        Self.oneCentShortOfDailyLoss(&engine)
        let first = engine.apply(.executionReport(RiskFixtures.fill("TW-c", .sell, "0.1", at: "90", tradeId: "F3")))
        #expect(stateChanges(first).map(\.to) == [.halted])
        _ = engine.apply(.command(TradingStateCommand(event: .resume, reason: "operator accepts the loss", timeNs: 10)))
        let again = engine.apply(.executionReport(RiskFixtures.fill("TW-d", .sell, "0.1", at: "90", tradeId: "F4")))
        #expect(stateChanges(again).isEmpty)
        #expect(engine.tradingState == .active)
    }

    @Test mutating func breachNeverLoosensAStricterState() throws {
        var engine = try Self.engine(maxDailyLoss: "10", action: .reducing)
        _ = engine.apply(.command(TradingStateCommand(event: .halt, reason: "operator", timeNs: 1)))
        Self.oneCentShortOfDailyLoss(&engine)
        let outputs = engine.apply(.executionReport(RiskFixtures.fill("TW-c", .sell, "0.1", at: "90", tradeId: "F3")))
        #expect(stateChanges(outputs).isEmpty)
        #expect(engine.tradingState == .halted)
        #expect(engine.breachLatches.dailyLoss)
    }

    @Test mutating func utcDayRollRestartsDailyLossAndRearmsTheBreaker() throws {
        var engine = try Self.engine(maxDailyLoss: "10")
        Self.oneCentShortOfDailyLoss(&engine)
        _ = engine.apply(.executionReport(RiskFixtures.fill("TW-c", .sell, "0.1", at: "90", tradeId: "F3")))
        _ = engine.apply(.command(TradingStateCommand(event: .resume, reason: "operator", timeNs: 10)))
        let dayOne = RiskFixtures.oneDayNs
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.001", limit: "100").at(dayOne - 1)))) == .dailyLossLimit)
        _ = engine.apply(.clock(timeNs: dayOne))
        #expect(engine.currentDay == UTCDay(daysSinceEpoch: 1))
        #expect(engine.dailyRealizedPnl == .zero)
        #expect(!engine.breachLatches.dailyLoss)
        _ = engine.apply(.quote(QuoteBuilder.mid("100", instrument: TestInstruments.ethId, timeNs: dayOne)))
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.01", limit: "100", instrument: TestInstruments.ethId).at(dayOne + 1)))))
        let late = engine.apply(.executionReport(RiskFixtures.fill("TW-d", .sell, "0.1", at: "50", tradeId: "F4", timeNs: 7)))
        #expect(stateChanges(late).isEmpty, "a late fill of yesterday does not count today")
        #expect(engine.dailyRealizedPnl == .zero)
        let loss = engine.apply(.executionReport(RiskFixtures.fill("TW-e", .sell, "0.2", at: "50", tradeId: "F5", timeNs: dayOne + 2)))
        #expect(engine.dailyRealizedPnl == usd("-10"))
        #expect(stateChanges(loss).map(\.to) == [.halted])
    }

    @Test(arguments: [TradingState.halted, .reducing])
    mutating func drawdownBreachMovesToBreachActionExactlyAtTheLimit(action: TradingState) throws {
        var engine = try Self.engine(maxDrawdown: "10", action: action)
        _ = engine.apply(.executionReport(RiskFixtures.fill("TW-a", .buy, "1", at: "100", tradeId: "F1")))
        _ = engine.apply(.quote(QuoteBuilder.mid("110")))
        #expect(engine.equityPeak == usd("10"))
        #expect(stateChanges(engine.apply(.quote(QuoteBuilder.mid("100.01")))).isEmpty)
        #expect(engine.drawdown == usd("9.99"))
        let outputs = engine.apply(.quote(QuoteBuilder.mid("100")))
        let changes = stateChanges(outputs)
        #expect(changes.map(\.to) == [action])
        #expect(changes.first?.reason.hasPrefix("MAX_DRAWDOWN: drawdown 10 >= 10") == true)
        #expect(engine.tradingState == action)
    }

    @Test mutating func drawdownDeniesNonReducingOrdersAndRearmsWhenItRecovers() throws {
        var engine = try Self.engine(maxDrawdown: "10")
        _ = engine.apply(.executionReport(RiskFixtures.fill("TW-a", .buy, "1", at: "100", tradeId: "F1")))
        _ = engine.apply(.quote(QuoteBuilder.mid("110")))
        #expect(stateChanges(engine.apply(.quote(QuoteBuilder.mid("100")))).map(\.to) == [.halted])
        #expect(stateChanges(engine.apply(.quote(QuoteBuilder.mid("99")))).isEmpty, "latched")
        _ = engine.apply(.command(TradingStateCommand(event: .resume, reason: "operator", timeNs: 10)))
        let denied = engine.apply(.intent(intent(.buy, "0.001", limit: "99")))
        #expect(denialReason(denied) == .maxDrawdown)
        if case .denied(let denial)? = denied.first {
            #expect(denial.limit == "10")
            #expect(denial.observed == "11")
        }
        #expect(isApproved(engine.apply(.intent(intent(.sell, "0.5", limit: "99")))))
        #expect(stateChanges(engine.apply(.quote(QuoteBuilder.mid("105")))).isEmpty)
        #expect(!engine.breachLatches.drawdown)
        #expect(stateChanges(engine.apply(.quote(QuoteBuilder.mid("100")))).map(\.to) == [.halted])
    }

    @Test func restoredPositionIsValuedFromItsFirstQuote() throws {
        var engine = try RiskEngine(
            limits: .testing { $0.maxDrawdown = usd("10") }, positions: [TestInstruments.btcId: qty("1")])
        #expect(engine.apply(.quote(QuoteBuilder.mid("100"))).isEmpty)
        #expect(engine.equity == .zero)
        #expect(engine.positionDetails[TestInstruments.btcId]?.averagePrice == px("100"))
        #expect(stateChanges(engine.apply(.quote(QuoteBuilder.mid("90")))).map(\.to) == [.halted])
        #expect(engine.equity == usd("-10"))
    }

    @Test mutating func quotesWithoutPositionsLeaveEquityAlone() throws {
        var engine = try Self.engine(maxDrawdown: "10")
        for mid in ["50", "500", "5"] {
            #expect(engine.apply(.quote(QuoteBuilder.mid(mid))).isEmpty)
        }
        #expect(engine.equity == .zero)
        #expect(engine.positionDetails.isEmpty)
    }
}
