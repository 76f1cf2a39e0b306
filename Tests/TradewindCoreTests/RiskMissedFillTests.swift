import Testing
import TradewindCore

/// Fills read back from the execution engine's table (missed on the bus): counted once in positions
/// and PnL, whichever arrives first, and never taken as news about the order or the venue.
@Suite struct RiskMissedFillTests {
    /// An engine with intent `i-1` approved for 0.5 and a partial fill of 0.2 of it.
    private static func partlyFilled() throws -> (engine: RiskEngine, fill: ExecutionReport) {
        var engine = try RiskFixtures.engine()
        var intents = IntentBuilder()
        let intent = intents(.buy, "0.5", limit: "100")
        #expect(isApproved(engine.apply(.intent(intent))))
        let fill = RiskFixtures.fill(ClientOrderId.from(intentId: intent.intentId), .buy, "0.2", at: "100", tradeId: "F1", timeNs: 2_000)
        return (engine, fill)
    }

    @Test func aMissedFillCountsInPositionsAndPendingExposureOnce() throws {
        var (engine, fill) = try Self.partlyFilled()
        let outputs = engine.apply(.missedFill(fill))
        #expect(outputs.contains(.remembered(RiskDedupeKey(kind: .fill, key: PositionEngine.fillKey(fill), sequence: 1, timeNs: 2_000))))
        #expect(engine.positions[TestInstruments.btcId] == qty("0.2"))
        #expect(engine.pendingOrders[fill.clientOrderId]?.remaining == qty("0.3"))
        #expect(engine.apply(.missedFill(fill)).isEmpty)
        _ = engine.apply(.executionReport(fill))
        #expect(engine.positions[TestInstruments.btcId] == qty("0.2"), "the report of a fill already counted adds nothing")
    }

    @Test func aFillCountedFromItsReportIsNotCountedAgainWhenReadBack() throws {
        var (engine, fill) = try Self.partlyFilled()
        _ = engine.apply(.executionReport(fill))
        #expect(engine.apply(.missedFill(fill)).isEmpty)
        #expect(engine.positions[TestInstruments.btcId] == qty("0.2"))
    }

    @Test func aMissedFillNeitherFinishesItsOrderNorMovesTheCircuitBreaker() throws {
        var (engine, fill) = try Self.partlyFilled()
        var whole = fill
        whole.lastQuantity = qty("0.5")
        whole.orderStatus = .filled
        _ = engine.apply(.missedFill(whole))
        #expect(engine.pendingOrders[fill.clientOrderId] != nil, "only the order's own report finishes it")
        #expect(engine.pendingOrders[fill.clientOrderId]?.acknowledged == false)
        #expect(engine.circuitBreakers.isEmpty)
    }
}
