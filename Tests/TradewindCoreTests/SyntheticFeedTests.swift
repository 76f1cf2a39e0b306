import Testing
import TradewindCore

@Suite struct SyntheticFeedTests {
    private static func configuration(seed: UInt64, startPrice: String = "64250.12", volatilityBps: Int = 10) -> SyntheticFeedConfiguration {
        SyntheticFeedConfiguration(
            seed: seed,
            instruments: [
                SyntheticInstrument(instrument: TestInstruments.btc, startPrice: px(startPrice), volatilityBps: volatilityBps, spreadBps: 2, quoteSize: qty("1.5")),
                SyntheticInstrument(instrument: TestInstruments.eth, startPrice: px("3100.5"), volatilityBps: 15, spreadBps: 0, quoteSize: qty("10")),
            ],
            tradeProbabilityPercent: 30)
    }

    private static func run(_ configuration: SyntheticFeedConfiguration, steps: Int = 300) throws -> [MarketEvent] {
        var feed = try SyntheticFeed(configuration: configuration)
        return (0..<steps).flatMap { feed.step(timeNs: Int64($0) * 1_000_000) }
    }

    @Test func sameSeedGivesIdenticalEvents() throws {
        #expect(try Self.run(Self.configuration(seed: 7)) == Self.run(Self.configuration(seed: 7)))
    }

    @Test func differentSeedGivesDifferentEvents() throws {
        #expect(try Self.run(Self.configuration(seed: 7)) != Self.run(Self.configuration(seed: 8)))
    }

    @Test func quotesStayOnTickPositiveAndSpreadAtLeastOneTick() throws {
        for config in [Self.configuration(seed: 1), Self.configuration(seed: 2, startPrice: "0.05", volatilityBps: 3_000)] {
            let events = try Self.run(config, steps: 500)
            let quotes = events.compactMap { if case .quote(let quote) = $0 { quote } else { nil } }
            #expect(quotes.count == 1_000)
            for quote in quotes {
                let tick = px("0.01")
                #expect(quote.bid > .zero)
                #expect(quote.bid.isMultiple(of: tick) && quote.ask.isMultiple(of: tick))
                #expect(quote.ask - quote.bid >= tick)
            }
        }
    }

    @Test func tradesHaveIncreasingIdsPerSymbolAndPrintAtTheTouch() throws {
        let events = try Self.run(Self.configuration(seed: 11))
        var lastQuote: [InstrumentId: Quote] = [:]
        var ids: [InstrumentId: [String]] = [:]
        for event in events {
            switch event {
            case .quote(let quote): lastQuote[quote.instrument] = quote
            case .trade(let trade):
                ids[trade.instrument, default: []].append(trade.tradeId)
                let quote = try #require(lastQuote[trade.instrument])
                #expect(trade.price == quote.touch(for: trade.aggressor))
                #expect(trade.size > .zero && trade.size <= qty("10"))
            case .book, .bar: Issue.record("unexpected event \(event)")
            }
        }
        let btc = try #require(ids[TestInstruments.btcId])
        #expect(btc.count > 50)
        #expect(btc == (1...btc.count).map { "\($0)" })
    }

    @Test func spreadFollowsConfiguredBasisPoints() throws {
        var feed = try SyntheticFeed(configuration: Self.configuration(seed: 5, volatilityBps: 0))
        guard case .quote(let quote) = feed.step(timeNs: 0).first else {
            Issue.record("expected a quote")
            return
        }
        // 2 bps of 64250.12 = 12.850024, rounded up to the tick: 12.86; bid = 64250.12 - 6.43.
        #expect(quote.ask - quote.bid == px("12.86"))
        #expect(quote.bid == px("64243.69"))
        #expect(quote.ask == px("64256.55"))
        #expect(feed.currentFairPrices.first == px("64250.12"))
    }

    @Test(arguments: [-1, 101])
    func rejectsInvalidTradeProbability(percent: Int) {
        var config = Self.configuration(seed: 1)
        config.tradeProbabilityPercent = percent
        #expect(throws: ConfigurationError.self) { try SyntheticFeed(configuration: config) }
    }

    @Test func rejectsNonPositiveStartPrice() {
        var config = Self.configuration(seed: 1)
        config.instruments[0].startPrice = .zero
        #expect(throws: ConfigurationError(key: "instruments[0].startPrice", value: "0", reason: "must be > 0")) {
            try SyntheticFeed(configuration: config)
        }
    }
}
