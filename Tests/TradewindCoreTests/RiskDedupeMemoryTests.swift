import Testing
import TradewindCore

/// A host persists each dedupe key as `RiskOutput.remembered` announces it, and a snapshot without
/// the dedupe memories: restored from both, the engine refuses the same duplicates as before.
@Suite struct RiskDedupeMemoryTests {
    /// An engine whose intent `i-1` was approved and filled in full, and the keys it announced.
    private static func filledOrder() throws -> (engine: RiskEngine, intent: OrderIntent, fill: ExecutionReport, keys: [RiskDedupeKey]) {
        var engine = try RiskFixtures.engine()
        var intents = IntentBuilder()
        let intent = intents(.buy, "0.5", limit: "100")
        #expect(isApproved(engine.apply(.intent(intent))))
        let fill = RiskFixtures.fill(ClientOrderId.from(intentId: intent.intentId), .buy, "0.5", at: "100", tradeId: "F1", timeNs: 2_000)
        let keys = remembered(engine.apply(.executionReport(fill)))
        return (engine, intent, fill, keys)
    }

    /// The keys among `outputs`, in order.
    private static func remembered(_ outputs: [RiskOutput]) -> [RiskDedupeKey] {
        outputs.compactMap { if case .remembered(let key) = $0 { key } else { nil } }
    }

    /// What a host restores: the snapshot it persisted plus the keys it persisted, oldest first.
    private static func restore(_ engine: RiskEngine, keys: [RiskDedupeKey]) throws -> RiskEngine {
        var snapshot = engine.snapshot(includingPendingOrders: true, includingDedupeMemory: false)
        let ordered = keys.sorted { $0.sequence < $1.sequence }
        snapshot.finishedOrderIds = ordered.filter { $0.kind == .finishedOrder }.map(\.key)
        snapshot.seenFillKeys = ordered.filter { $0.kind == .fill }.map(\.key)
        return try RiskEngine(limits: engine.limits, restoring: snapshot)
    }

    @Test func aFillAndTheEndOfItsOrderAreEachRememberedOnceInSequence() throws {
        let (filled, _, fill, keys) = try Self.filledOrder()
        var engine = filled
        #expect(keys == [
            RiskDedupeKey(kind: .fill, key: PositionEngine.fillKey(fill), sequence: 1, timeNs: 2_000),
            RiskDedupeKey(kind: .finishedOrder, key: fill.clientOrderId, sequence: 2, timeNs: 2_000),
        ])
        #expect(engine.dedupeSequence == 2)
        #expect(Self.remembered(engine.apply(.executionReport(fill))).isEmpty, "nothing new to remember")
        let canceled = RiskFixtures.report("TW-other", .canceled, status: .canceled, timeNs: 3_000)
        #expect(Self.remembered(engine.apply(.executionReport(canceled)))
            == [RiskDedupeKey(kind: .finishedOrder, key: "TW-other", sequence: 3, timeNs: 3_000)])
    }

    @Test func restoredWithItsPersistedKeysTheEngineDeniesAResentIntentAsDuplicate() throws {
        let (engine, intent, _, keys) = try Self.filledOrder()
        var restored = try Self.restore(engine, keys: keys)
        #expect(denialReason(restored.apply(.intent(intent.at(5_000)))) == .duplicateIntent)

        var forgetful = try Self.restore(engine, keys: [])
        #expect(isApproved(forgetful.apply(.intent(intent.at(5_000)))), "without the keys the resent intent would pass again")
    }

    @Test func restoredWithItsPersistedKeysTheEngineDoesNotCountAResentFillTwice() throws {
        let (engine, _, fill, keys) = try Self.filledOrder()
        var restored = try Self.restore(engine, keys: keys)
        #expect(restored.positions[TestInstruments.btcId] == qty("0.5"))
        #expect(Self.remembered(restored.apply(.executionReport(fill))).isEmpty)
        #expect(restored.positions[TestInstruments.btcId] == qty("0.5"))
        #expect(restored.positionDetails == engine.positionDetails)
        #expect(restored.dailyRealizedPnl == engine.dailyRealizedPnl)

        var forgetful = try Self.restore(engine, keys: [])
        _ = forgetful.apply(.executionReport(fill))
        #expect(forgetful.positions[TestInstruments.btcId] == qty("1"), "without the keys the fill would count twice")
    }

    @Test func aRestoredEngineNumbersItsKeysOnFromTheSnapshot() throws {
        let (engine, _, _, keys) = try Self.filledOrder()
        var restored = try Self.restore(engine, keys: keys)
        #expect(restored.dedupeSequence == 2)
        let canceled = RiskFixtures.report("TW-next", .canceled, status: .canceled, timeNs: 3_000)
        #expect(Self.remembered(restored.apply(.executionReport(canceled))).map(\.sequence) == [3])
    }

    @Test func theFullSnapshotKeepsTheDedupeMemoriesOldestFirst() throws {
        var engine = try RiskFixtures.engine()
        for id in ["TW-c", "TW-a", "TW-b"] {
            _ = engine.apply(.executionReport(RiskFixtures.report(id, .canceled, status: .canceled)))
        }
        #expect(engine.snapshot.finishedOrderIds == ["TW-c", "TW-a", "TW-b"])
        #expect(try RiskEngine(limits: engine.limits, restoring: engine.snapshot).snapshot == engine.snapshot)
    }
}
