import Testing
import TradewindCore

/// The whole suite in one process over a synthetic stream: same events, same everything.
@Suite struct CoreRuntimeTests {
    /// A runtime trading BTC and ETH with a fast EMA crossover, and `maxPosition` as risk's limit.
    private static func runtime(maxOrderQuantity: String = "5") throws -> CoreRuntime {
        let limits = RiskLimits.testing { limits in
            limits.maxPosition = [TestInstruments.btcId: qty("1"), TestInstruments.ethId: qty("1")]
            limits.maxOrderQuantity = [
                TestInstruments.btcId: qty(maxOrderQuantity), TestInstruments.ethId: qty(maxOrderQuantity), RiskFixtures.altBtcId: qty("5"),
            ]
        }
        let strategy = try EMACrossoverStrategy(configuration: EMACrossoverConfiguration(
            name: "ema", fastPeriod: 3, slowPeriod: 8,
            orderQuantity: [TestInstruments.btcId: qty("0.5"), TestInstruments.ethId: qty("0.5")], idPrefix: "ema-test"))
        let link = try SimulatedVenueLink(venue: try ExecutionFixtures.venue(), latency: .zero, seed: 5)
        return CoreRuntime(
            marketData: MarketDataSlice(bars: try BarAggregator(intervalSeconds: 1)),
            strategy: try SignalEngine(strategies: [strategy]), risk: try RiskEngine(limits: limits),
            execution: ExecutionSlice(core: ExecutionFixtures.core(), link: link))
    }

    private static func events(_ count: Int, seed: UInt64 = 11) throws -> [MarketEvent] {
        var feed = try SyntheticFeed(configuration: SyntheticFeedConfiguration(
            seed: seed,
            instruments: [
                SyntheticInstrument(instrument: TestInstruments.btc, startPrice: px("100"), volatilityBps: 30, spreadBps: 2, quoteSize: qty("5")),
                SyntheticInstrument(instrument: TestInstruments.eth, startPrice: px("50"), volatilityBps: 30, spreadBps: 2, quoteSize: qty("5")),
            ],
            tradeProbabilityPercent: 30))
        var events: [MarketEvent] = []
        var time: Int64 = 1_700_000_000_000_000_000
        while events.count < count {
            time += 10_000_000
            events += feed.step(timeNs: time)
        }
        return events
    }

    /// Fills, order states and risk outputs of a whole run.
    private static func run(_ runtime: inout CoreRuntime, _ events: [MarketEvent]) -> (fills: [ExecutionReport], orders: [Order], risk: [RiskOutput]) {
        var step = CoreRuntime.Step()
        var fills: [ExecutionReport] = []
        var orders: [Order] = []
        var risk: [RiskOutput] = []
        for event in events {
            runtime.step(event, into: &step)
            fills += step.fills.map(\.report)
            orders += step.orderEvents.map(\.order)
            risk += step.riskOutputs
        }
        return (fills, orders, risk)
    }

    @Test func theSameEventsGiveTheSameOrdersFillsAndPositions() throws {
        let events = try Self.events(3_000)
        var first = try Self.runtime()
        var second = try Self.runtime()
        let a = Self.run(&first, events)
        let b = Self.run(&second, events)
        #expect(a.fills.count > 10, "the crossover should trade on a volatile walk")
        #expect(a.fills == b.fills && a.orders == b.orders && a.risk == b.risk)
        #expect(first.positions.engine.positions == second.positions.engine.positions)
        #expect(first.positions.appliedSeq == Int64(a.fills.count))
    }

    @Test func positionsEqualTheSumOfFillsAndRiskAgreesWithThem() throws {
        var runtime = try Self.runtime()
        let (fills, _, _) = Self.run(&runtime, try Self.events(3_000))
        var net: [InstrumentId: Quantity] = [:]
        for fill in fills { net[fill.instrument, default: .zero] = net[fill.instrument, default: .zero] + fill.side.signed(fill.lastQuantity) }
        for (instrument, quantity) in net {
            #expect(runtime.positions.engine.positions[instrument]?.quantity == quantity)
            #expect(runtime.risk.positions[instrument] ?? .zero == quantity)
            #expect(runtime.execution.netFilled[instrument] ?? .zero == quantity)
        }
    }

    @Test func riskDeniesWhatWouldBreachItsLimitsAndNothingIsSentForIt() throws {
        var runtime = try Self.runtime(maxOrderQuantity: "0.6")
        let (fills, orders, risk) = Self.run(&runtime, try Self.events(3_000))
        let denials = risk.compactMap { if case .denied(let denial) = $0 { denial } else { nil } }
        #expect(denials.contains { $0.reason == .maxOrderQuantity }, "flipping from +0.5 to -0.5 is an order of 1.0 > 0.6")
        #expect(!fills.isEmpty, "entries of 0.5 pass")
        let denied = Set(denials.map { ClientOrderId.from(intentId: $0.intentId) })
        #expect(orders.allSatisfy { !denied.contains($0.clientOrderId) })
        #expect(fills.allSatisfy { !denied.contains($0.clientOrderId) })
    }

    @Test func barsArePublishedBeforeTheEventThatClosesTheirInterval() throws {
        var slice = MarketDataSlice(bars: try BarAggregator(intervalSeconds: 1))
        let trade = Trade(instrument: TestInstruments.btcId, price: px("100"), size: qty("1"), aggressor: .buy, tradeId: "1", timeNs: 500_000_000)
        #expect(slice.apply(.trade(trade)) == [.trade(trade)])
        let quote = QuoteBuilder.mid("100", timeNs: 1_200_000_000)
        let published = slice.apply(.quote(quote))
        #expect(published.count == 2)
        guard case .bar(let bar) = published.first else { Issue.record("no bar first"); return }
        #expect(bar.startTimeNs == 0 && published.last == .quote(quote))
    }
}
