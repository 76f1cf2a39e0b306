import Testing
import TradewindCore

/// Which record wins when a risk manager restarts from its tables.
@Suite struct RiskRestoreTests {
    @Test func withoutASnapshotTheRecordedStateAndPositionsWinOverTheConfiguredState() throws {
        let saved = RiskEngine.Saved(tradingState: .reducing, reason: "drawdown", positions: [TestInstruments.btcId: qty("0.5")])
        let engine = try RiskEngine.restoring(saved, limits: .testing(), configuredState: .active, timeNs: 10)
        #expect(engine.tradingState == .reducing && engine.tradingStateReason == "drawdown")
        #expect(engine.positions[TestInstruments.btcId] == qty("0.5"))
        let fresh = try RiskEngine.restoring(RiskEngine.Saved(), limits: .testing(), configuredState: .halted, timeNs: 10)
        #expect(fresh.tradingState == .halted && fresh.tradingStateReason == "initial state from configuration")
    }

    @Test func theRecordedKillSwitchWinsOverAnOlderSnapshot() throws {
        let snapshot = try RiskFixtures.engine().snapshot
        let saved = RiskEngine.Saved(snapshot: snapshot, tradingState: .halted, killSwitch: true, reason: "operator stop")
        let engine = try RiskEngine.restoring(saved, limits: .testing(), configuredState: .active, timeNs: 10)
        #expect(engine.killSwitchEngaged && engine.tradingState == .halted && engine.killSwitchReason == "operator stop")
    }

    @Test func pendingOrdersAndDedupeKeysPersistedApartReplaceTheSnapshots() throws {
        var engine = try RiskFixtures.engine()
        var intents = IntentBuilder()
        let intent = intents(.buy, "0.1", limit: "100")
        let order = try #require(approvedOrder(in: engine.apply(.intent(intent))))
        let older = try RiskFixtures.engine().snapshot
        let saved = RiskEngine.Saved(
            snapshot: older, pendingOrders: [PendingOrder(order: order, remaining: order.quantity)],
            finishedOrderIds: ["TW-done"], seenFillKeys: ["trade:SIM:BTCUSDT|T1"], dedupeSequence: 7)
        let restored = try RiskEngine.restoring(saved, limits: .testing(), configuredState: .active, timeNs: 10)
        #expect(restored.pendingOrders[order.clientOrderId] != nil)
        #expect(restored.snapshot.finishedOrderIds == ["TW-done"] && restored.snapshot.seenFillKeys == ["trade:SIM:BTCUSDT|T1"])
        #expect(restored.dedupeSequence == 7)
    }
}
