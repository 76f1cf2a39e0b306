import Testing
import TradewindCore

@Suite struct EMACrossoverStrategyTests {
    private static func strategy(quantity: String? = "1") throws -> EMACrossoverStrategy {
        try EMACrossoverStrategy(configuration: EMACrossoverConfiguration(
            name: "ema", fastPeriod: 2, slowPeriod: 4,
            orderQuantity: quantity.map { [TestInstruments.btcId: qty($0)] } ?? [:], idPrefix: "s1"))
    }

    private static func signals(_ outputs: [StrategyOutput]) -> [Signal] {
        outputs.compactMap { if case .signal(let signal) = $0 { signal } else { nil } }
    }

    private static func intents(_ outputs: [StrategyOutput]) -> [OrderIntent] {
        outputs.compactMap { if case .intent(let intent) = $0 { intent } else { nil } }
    }

    @Test func emaIsExactFixedPoint() {
        var ema = ExponentialMovingAverage(period: 2)
        #expect(ema.update(px("104")) == px("104"))
        // 104 + (94 - 104) × 2/3 = 97.333333333… → 97.33333333 (half-even on the step).
        #expect(ema.update(px("94")) == px("97.33333333"))
        #expect(ema.update(px("94")) == px("95.11111111"))
        #expect(ema.count == 3)
    }

    /// Mids 100,100,100,100,106,94,94,110 with fast=2 (α=2/3), slow=4 (α=2/5), worked by hand.
    @Test func followsKnownSeriesWithExactCrossovers() throws {
        var strategy = try Self.strategy()
        var outputs: [[StrategyOutput]] = []
        for (index, mid) in ["100", "100", "100", "100", "106", "94", "94", "110"].enumerated() {
            outputs.append(strategy.onQuote(QuoteBuilder.mid(mid, timeNs: Int64(index + 1))))
        }
        #expect(outputs[0].isEmpty && outputs[1].isEmpty && outputs[2].isEmpty)

        // Warm-up complete on quote 4: flat EMAs, neutral signal, no intent.
        #expect(Self.signals(outputs[3]).map(\.value) == [.zero])
        #expect(Self.signals(outputs[3]).map(\.direction) == [0])
        #expect(Self.intents(outputs[3]).isEmpty)

        // Quote 5 (106): fast 104, slow 102.4 → spread 1.6, cross up → buy 1.
        #expect(Self.signals(outputs[4]).map(\.value) == [px("1.6")])
        #expect(Self.intents(outputs[4]).map(\.side) == [.buy])
        #expect(Self.intents(outputs[4]).map(\.quantity) == [qty("1")])
        #expect(Self.intents(outputs[4]).map(\.intentId) == ["s1-1"])

        // Quote 6 (94): fast 97.33333333, slow 99.04 → cross down → sell 2 (long to short).
        #expect(Self.signals(outputs[5]).map(\.value) == [px("-1.70666667")])
        #expect(Self.signals(outputs[5]).map(\.direction) == [-1])
        #expect(Self.intents(outputs[5]).map(\.side) == [.sell])
        #expect(Self.intents(outputs[5]).map(\.quantity) == [qty("2")])
        #expect(Self.intents(outputs[5]).map(\.intentId) == ["s1-2"])

        // Quote 7 (94): fast 95.11111111, slow 97.024 → still below, signal only.
        #expect(Self.signals(outputs[6]).map(\.value) == [px("-1.91288889")])
        #expect(Self.intents(outputs[6]).isEmpty)

        // Quote 8 (110): fast 105.03703704, slow 102.2144 → cross up → buy 2.
        #expect(Self.signals(outputs[7]).map(\.value) == [px("2.82263704")])
        let last = try #require(Self.intents(outputs[7]).first)
        #expect(last.side == .buy && last.quantity == qty("2") && last.intentId == "s1-3")
        #expect(last.orderType == .market && last.timeInForce == .ioc && last.limitPrice == nil)
        #expect(last.strategy == "ema" && last.timeNs == 8)

        let state = try #require(strategy.state(for: TestInstruments.btcId))
        #expect(state.fast.value == px("105.03703704"))
        #expect(state.slow.value == px("102.2144"))
        #expect(state.target == qty("1"))
        #expect(strategy.intentCount == 3)
    }

    @Test func instrumentsWithoutQuantityGetSignalsOnly() throws {
        var strategy = try Self.strategy(quantity: nil)
        var all: [StrategyOutput] = []
        for mid in ["100", "100", "100", "100", "106", "94"] { all += strategy.onQuote(QuoteBuilder.mid(mid)) }
        #expect(Self.signals(all).count == 3)
        #expect(Self.intents(all).isEmpty)
    }

    @Test func ignoresOneSidedOrCrossedQuotes() throws {
        var strategy = try Self.strategy()
        #expect(strategy.onQuote(QuoteBuilder(bid: .zero).build()).isEmpty)
        #expect(strategy.onQuote(QuoteBuilder(bid: px("102"), ask: px("101")).build()).isEmpty)
        #expect(strategy.state(for: TestInstruments.btcId) == nil)
    }

    @Test(arguments: [(0, 4), (4, 4), (5, 4), (2, 0)])
    func rejectsInvalidPeriods(fast: Int, slow: Int) {
        #expect(throws: ConfigurationError.self) {
            try EMACrossoverStrategy(configuration: EMACrossoverConfiguration(
                name: "ema", fastPeriod: fast, slowPeriod: slow, orderQuantity: [:], idPrefix: "p"))
        }
    }

    @Test func rejectsNonPositiveQuantity() {
        #expect(throws: ConfigurationError.self) {
            try EMACrossoverStrategy(configuration: EMACrossoverConfiguration(
                name: "ema", fastPeriod: 2, slowPeriod: 4, orderQuantity: [TestInstruments.btcId: .zero], idPrefix: "p"))
        }
    }
}
