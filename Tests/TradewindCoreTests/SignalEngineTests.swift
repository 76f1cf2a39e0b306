import Testing
import TradewindCore

@Suite struct SignalEngineTests {
    private static func ema(_ name: String, prefix: String) throws -> EMACrossoverStrategy {
        try EMACrossoverStrategy(configuration: EMACrossoverConfiguration(
            name: name, fastPeriod: 1, slowPeriod: 2,
            orderQuantity: [TestInstruments.btcId: qty("1"), TestInstruments.ethId: qty("1")], idPrefix: prefix))
    }

    @Test func routesQuotesToListeningStrategiesInOrder() throws {
        var engine = try SignalEngine(slots: [
            StrategySlot(strategy: try Self.ema("a", prefix: "A"), instruments: [TestInstruments.btcId]),
            StrategySlot(strategy: try Self.ema("b", prefix: "B")),
        ])
        #expect(engine.strategyNames == ["a", "b"])
        _ = engine.apply(.quote(QuoteBuilder.mid("100")))
        let outputs = engine.apply(.quote(QuoteBuilder.mid("101")))
        let strategies = outputs.map { output -> String in
            switch output {
            case .signal(let signal): return signal.strategy
            case .intent(let intent): return intent.strategy
            }
        }
        #expect(strategies == ["a", "b"])
        let ethOutputs = engine.apply(.quote(QuoteBuilder.mid("100", instrument: TestInstruments.ethId)))
            + engine.apply(.quote(QuoteBuilder.mid("90", instrument: TestInstruments.ethId)))
        #expect(ethOutputs.allSatisfy {
            if case .signal(let signal) = $0 { signal.strategy == "b" } else { true }
        })
        #expect(engine.signalCount == 3)
    }

    @Test func emitsIntentsOnCrossovers() throws {
        var engine = try SignalEngine(strategies: [try Self.ema("a", prefix: "A")])
        var outputs: [StrategyOutput] = []
        for mid in ["100", "100", "110", "90"] { outputs += engine.apply(.quote(QuoteBuilder.mid(mid))) }
        let ids = outputs.compactMap { if case .intent(let intent) = $0 { intent.intentId } else { nil } }
        #expect(ids == ["A-1", "A-2"])
        #expect(engine.intentCount == 2)
    }

    @Test func ignoresTradesBooksAndBarsByDefault() throws {
        var engine = try SignalEngine(strategies: [try Self.ema("a", prefix: "A")])
        let trade = Trade(instrument: TestInstruments.btcId, price: px("1"), size: qty("1"), aggressor: .buy, tradeId: "t", timeNs: 1)
        #expect(engine.apply(.trade(trade)).isEmpty)
        #expect(engine.apply(.book(BookUpdate(instrument: TestInstruments.btcId, snapshot: true, bids: [], asks: [], timeNs: 1))).isEmpty)
    }

    @Test func rejectsDuplicateStrategyNames() throws {
        #expect(throws: ConfigurationError.self) {
            try SignalEngine(strategies: [try Self.ema("a", prefix: "A"), try Self.ema("a", prefix: "B")])
        }
    }
}
