import Testing
import TradewindCore

@Suite struct BarAggregatorTests {
    private static let second: Int64 = 1_000_000_000

    private static func trade(_ price: String, _ size: String, at seconds: Int64, instrument: InstrumentId = TestInstruments.btcId) -> Trade {
        Trade(instrument: instrument, price: px(price), size: qty(size), aggressor: .buy, tradeId: "t\(seconds)", timeNs: seconds * second)
    }

    @Test func buildsBarAndEmitsItWhenLaterIntervalStarts() throws {
        var aggregator = try BarAggregator(intervalSeconds: 60)
        #expect(aggregator.apply(Self.trade("100", "1", at: 60)).isEmpty)
        #expect(aggregator.apply(Self.trade("105", "0.5", at: 70)).isEmpty)
        #expect(aggregator.apply(Self.trade("98", "2", at: 100)).isEmpty)
        #expect(aggregator.apply(Self.trade("101", "1", at: 119)).isEmpty)
        let bars = aggregator.apply(Self.trade("102", "1", at: 185))
        #expect(bars == [Bar(
            instrument: TestInstruments.btcId, startTimeNs: 60 * Self.second, intervalSeconds: 60,
            open: px("100"), high: px("105"), low: px("98"), close: px("101"), volume: qty("4.5"), tradeCount: 4)])
        #expect(aggregator.openBars.map(\.startTimeNs) == [180 * Self.second])
    }

    @Test func flushClosesOnlyFinishedIntervals() throws {
        var aggregator = try BarAggregator(intervalSeconds: 60)
        _ = aggregator.apply(Self.trade("100", "1", at: 10))
        _ = aggregator.apply(Self.trade("200", "1", at: 50, instrument: TestInstruments.ethId))
        #expect(aggregator.flush(upTo: 59 * Self.second).isEmpty)
        let bars = aggregator.flush(upTo: 60 * Self.second)
        #expect(bars.map(\.instrument) == [TestInstruments.btcId, TestInstruments.ethId])
        #expect(aggregator.openBars.isEmpty)
        #expect(aggregator.flush(upTo: 600 * Self.second).isEmpty)
    }

    @Test func dropsLateTrades() throws {
        var aggregator = try BarAggregator(intervalSeconds: 60)
        _ = aggregator.apply(Self.trade("100", "1", at: 130))
        #expect(aggregator.apply(Self.trade("90", "1", at: 30)).isEmpty)
        #expect(aggregator.droppedTradeCount == 1)
        #expect(aggregator.openBars.first?.low == px("100"))
    }

    @Test func alignsNegativeTimesDownward() throws {
        var aggregator = try BarAggregator(intervalSeconds: 60)
        _ = aggregator.apply(Self.trade("100", "1", at: -1))
        #expect(aggregator.openBars.first?.startTimeNs == -60 * Self.second)
    }

    @Test(arguments: [0, -5])
    func rejectsInvalidInterval(seconds: Int) {
        #expect(throws: BarAggregatorError.invalidInterval(seconds)) { try BarAggregator(intervalSeconds: seconds) }
    }
}
