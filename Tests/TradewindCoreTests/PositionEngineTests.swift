import Testing
import TradewindCore

@Suite struct PositionEngineTests {
    private let reports = ReportBuilder()

    @Test func appliesFillReportsAndPublishesPortfolio() {
        var engine = PositionEngine()
        let outputs = engine.apply(.executionReport(reports.fill("TW-1", .buy, "2", at: "100", tradeId: "X1", fee: "0.2")))
        #expect(outputs.count == 2)
        guard case .position(let position) = outputs[0], case .portfolio(let portfolio) = outputs[1] else {
            Issue.record("unexpected outputs \(outputs)")
            return
        }
        #expect(position.quantity == qty("2"))
        #expect(portfolio.realizedPnl == usd("-0.2"))
        #expect(portfolio.fees == usd("0.2"))
        #expect(portfolio.openPositions == 1)
        #expect(portfolio.grossExposure == usd("200"))
    }

    @Test func ignoresDuplicateTradeIds() {
        var engine = PositionEngine()
        let report = reports.fill("TW-1", .buy, "2", at: "100", tradeId: "X1")
        _ = engine.apply(.executionReport(report))
        #expect(engine.apply(.executionReport(report)).isEmpty)
        #expect(engine.positions[TestInstruments.btcId]?.quantity == qty("2"))
        #expect(engine.duplicateFillCount == 1)
    }

    @Test func ignoresNonFillReports() {
        var engine = PositionEngine()
        #expect(engine.apply(.executionReport(reports.terminal("TW-1", .buy, .canceled, status: .canceled))).isEmpty)
        #expect(engine.positions.isEmpty)
    }

    @Test func marksToMidAndTracksDrawdown() {
        var engine = PositionEngine()
        _ = engine.apply(.executionReport(reports.fill("TW-1", .buy, "2", at: "100", tradeId: "X1")))
        _ = engine.apply(.quote(QuoteBuilder.mid("110")))
        #expect(engine.portfolio.unrealizedPnl == usd("20"))
        #expect(engine.portfolio.peakTotalPnl == usd("20"))
        let outputs = engine.apply(.quote(QuoteBuilder.mid("95")))
        guard case .portfolio(let portfolio) = outputs.last else {
            Issue.record("expected a portfolio update")
            return
        }
        #expect(portfolio.totalPnl == usd("-10"))
        #expect(portfolio.peakTotalPnl == usd("20"))
        #expect(portfolio.drawdown == usd("30"))
        #expect(portfolio.grossExposure == usd("190"))
    }

    @Test func quotesForFlatInstrumentsAreSilentButRemembered() {
        var engine = PositionEngine()
        #expect(engine.apply(.quote(QuoteBuilder.mid("120"))).isEmpty)
        _ = engine.apply(.executionReport(reports.fill("TW-1", .sell, "1", at: "100", tradeId: "X1")))
        #expect(engine.positions[TestInstruments.btcId]?.markPrice == px("120"))
        #expect(engine.portfolio.unrealizedPnl == usd("-20"))
    }
}
