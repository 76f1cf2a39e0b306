import Foundation
import Testing
import TradewindCore

/// Recovery's invariant: a snapshot taken after any prefix of the fills, plus the rest re-applied,
/// gives exactly the state of an engine that never stopped.
@Suite struct PositionRestoreTests {
    private static func randomReports(seed: UInt64, count: Int) -> [ExecutionReport] {
        var generator = SeededGenerator(seed: seed)
        let instruments = [TestInstruments.btcId, TestInstruments.ethId]
        return (0..<count).map { index in
            let builder = ReportBuilder(instrument: instruments[Int(generator.nextBounded(2))])
            let quantity = Quantity(units: Int64(generator.nextBounded(100_000_000)) + 1)
            let price = Price(units: Int64(generator.nextBounded(10_000_000_000_000)) + 1)
            let fee = Money(units: Int64(generator.nextBounded(1_000_000)))
            return builder.fill(
                "TW-\(index)", generator.nextBounded(2) == 0 ? .buy : .sell, quantity.description, at: price.description,
                tradeId: "T\(index)", fee: fee.description)
        }
    }

    @Test(arguments: 0..<8)
    func snapshotPlusLaterFillsEqualsTheUninterruptedEngine(seed: Int) {
        let reports = Self.randomReports(seed: UInt64(seed), count: 60)
        var reference = PositionEngine()
        for report in reports { _ = reference.apply(.executionReport(report)) }
        for cut in stride(from: 0, through: reports.count, by: 7) {
            var before = PositionEngine()
            for report in reports.prefix(cut) { _ = before.apply(.executionReport(report)) }
            let keys = Set(reports.prefix(cut).map(PositionEngine.fillKey))
            let (restored, refused) = PositionEngine.restored(
                snapshot: before.sortedPositions, peakTotalPnl: before.portfolio.peakTotalPnl,
                seenFillKeys: keys, replaying: Array(reports.dropFirst(cut)))
            #expect(refused.isEmpty)
            #expect(restored.positions == reference.positions)
            #expect(restored.portfolio.realizedPnl == reference.portfolio.realizedPnl)
            #expect(restored.portfolio.fees == reference.portfolio.fees)
        }
    }

    @Test func restoredFillKeysStillDeduplicate() {
        let reports = Self.randomReports(seed: 99, count: 10)
        var engine = PositionEngine()
        for report in reports { _ = engine.apply(.executionReport(report)) }
        var (restored, _) = PositionEngine.restored(
            snapshot: engine.sortedPositions, peakTotalPnl: engine.portfolio.peakTotalPnl,
            seenFillKeys: Set(reports.map(PositionEngine.fillKey)), replaying: [])
        for report in reports { #expect(restored.apply(.executionReport(report)).isEmpty) }
        #expect(restored.positions == engine.positions)
    }

    @Test func restoresThePnlPeak() {
        let (restored, _) = PositionEngine.restored(snapshot: [], peakTotalPnl: usd("125.5"), seenFillKeys: [], replaying: [])
        #expect(restored.portfolio.peakTotalPnl == usd("125.5"))
        #expect(restored.portfolio.drawdown == usd("125.5"))
    }

    @Test func positionsSurviveTheirJsonState() throws {
        var engine = PositionEngine()
        for report in Self.randomReports(seed: 7, count: 20) { _ = engine.apply(.executionReport(report)) }
        let data = try JSONEncoder().encode(engine.sortedPositions)
        #expect(try JSONDecoder().decode([Position].self, from: data) == engine.sortedPositions)
    }
}
