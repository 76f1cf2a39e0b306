import Testing
import TradewindCore

/// Book updates and trades on their way to the simulated venue: the link's timing, the execution
/// slice following a published book stream, and the backtest runtime feeding them in order.
@Suite struct BookVenueSliceTests {
    private static func slice() throws -> ExecutionSlice {
        try ExecutionFixtures.slice(core: ExecutionFixtures.core(), venue: ExecutionFixtures.venue())
    }

    private static func message(_ sequence: UInt64, _ update: BookUpdate) -> BookMessage {
        BookMessage(sequence: sequence, venueUpdateId: 100 + sequence, update: update)
    }

    private static func hasBook(_ slice: ExecutionSlice) -> Bool {
        slice.link?.venue.hasBook(TestInstruments.btcId) ?? false
    }

    private static func dropped(_ outputs: [ExecutionSlice.Output]) -> [String] {
        outputs.compactMap { if case .bookDropped(_, let detail) = $0 { detail } else { nil } }
    }

    @Test func aTradeIsAVenueEventOnlyForAnInstrumentWithABook() throws {
        var link = try SimulatedVenueLink(venue: try ExecutionFixtures.venue(), latency: .init(orderEntryNs: 500), seed: 7)
        _ = link.take(QuoteBuilder.mid("100", timeNs: 1_000))
        _ = link.send(.submit(approvedOrder("a", .buy, "1", timeNs: 1_000)), atNs: 1_000)
        #expect(link.take(L2.trade(.sell, "1", at: "100", timeNs: 1_600)).isEmpty)
        #expect(link.inFlightCount == 1, "without a book a trade delivers nothing: quote-only runs keep their timing")
        let arrived = link.take(L2.snapshot(bids: [("99", "1")], asks: [("102", "1")], timeNs: 1_700))
        #expect(arrived.fillsSeen == ["1@100.5 taker"], "due before the book: executed against the quote it met")
        _ = link.send(.submit(approvedOrder("b", .buy, "1", timeNs: 2_000)), atNs: 2_000)
        #expect(link.take(L2.trade(.sell, "1", at: "99", timeNs: 2_600)).fillsSeen == ["1@102 taker"])
    }

    @Test func aPublishedBookStreamIsFollowedByItsSequenceAndAGapFallsBackToQuotes() throws {
        var slice = try Self.slice()
        _ = slice.apply(.bookMessage(Self.message(3, L2.standard)))
        #expect(Self.hasBook(slice))
        _ = slice.apply(.bookMessage(Self.message(4, L2.delta(asks: [("101", "0.5")]))))
        #expect(slice.link?.venue.book(for: TestInstruments.btcId)?.book.bestAsk == BookLevel(price: px("101"), size: qty("0.5")))
        #expect(slice.link?.venue.book(for: TestInstruments.btcId)?.book.levels(.ask) == slice.bookFollowers[TestInstruments.btcId]?.book.levels(.ask))

        let gap = slice.apply(.bookMessage(Self.message(6, L2.delta(asks: [("101", "0.7")], timeNs: 2_100))))
        #expect(Self.dropped(gap) == ["book sequence gap: expected 5, got 6"])
        #expect(!Self.hasBook(slice))
        _ = slice.apply(.bookMessage(Self.message(7, L2.delta(asks: [("101", "0.9")], timeNs: 2_200))))
        #expect(!Self.hasBook(slice), "deltas wait for a snapshot")
        _ = slice.apply(.quote(QuoteBuilder.mid("100", timeNs: 2_300)))
        #expect(slice.apply(.approved(approvedOrder("q", .buy, "1", timeNs: 2_300))).reports.last?.lastPrice == px("100.5"),
                "meanwhile the quote fills")

        _ = slice.apply(.bookMessage(Self.message(8, L2.snapshot(bids: [("99", "1")], asks: [("104", "1")], timeNs: 2_400))))
        #expect(Self.hasBook(slice))
        #expect(slice.apply(.approved(approvedOrder("b", .buy, "1", timeNs: 2_500))).reports.last?.lastPrice == px("104"))
    }

    @Test func unsequencedBookMessagesApplyAsTheyComeLikeADatasetsUpdates() throws {
        var slice = try Self.slice()
        _ = slice.apply(.bookMessage(Self.message(0, L2.delta(bids: [("99", "1")], asks: [("101", "2")]))))
        #expect(slice.link?.venue.book(for: TestInstruments.btcId)?.book.bestAsk == BookLevel(price: px("101"), size: qty("2")))
        #expect(slice.bookFollowers.isEmpty)
    }

    @Test func aBookThePublisherVoidsWaitsForItsNextSnapshot() throws {
        var slice = try Self.slice()
        _ = slice.apply(.bookMessage(Self.message(1, L2.standard)))
        _ = slice.apply(.bookVoided(TestInstruments.btcId))
        #expect(!Self.hasBook(slice))
        #expect(Self.dropped(slice.apply(.bookMessage(Self.message(2, L2.delta(asks: [("101", "3")]))))).isEmpty)
        #expect(!Self.hasBook(slice))
        _ = slice.apply(.bookMessage(Self.message(3, L2.standard)))
        #expect(Self.hasBook(slice))
    }

    @Test func withARealVenueBooksAndTradesAreIgnored() {
        var slice = ExecutionSlice(core: ExecutionFixtures.core(), link: nil)
        #expect(slice.apply(.bookMessage(Self.message(1, L2.standard))).isEmpty)
        #expect(slice.apply(.trade(L2.trade(.sell, "1", at: "99"))).isEmpty)
        #expect(slice.bookFollowers.isEmpty)
    }

    @Test func theBacktestRuntimeGivesTheVenueTheStepsBooksAndTradesInOrder() throws {
        let strategy = try EMACrossoverStrategy(configuration: EMACrossoverConfiguration(
            name: "ema", fastPeriod: 3, slowPeriod: 8, orderQuantity: [TestInstruments.btcId: qty("0.5")], idPrefix: "ema-test"))
        let link = try SimulatedVenueLink(venue: try ExecutionFixtures.venue(), latency: .zero, seed: 5)
        var runtime = CoreRuntime(
            marketData: MarketDataSlice(bars: try BarAggregator(intervalSeconds: 1)),
            strategy: try SignalEngine(strategies: [strategy]), risk: try RiskEngine(limits: RiskLimits.testing { _ in }),
            execution: ExecutionSlice(core: ExecutionFixtures.core(), link: link))
        var step = CoreRuntime.Step()
        runtime.step(.book(L2.standard), into: &step)
        runtime.step(.trade(L2.trade(.buy, "1", at: "101", timeNs: 1_100)), into: &step)
        runtime.step(.book(L2.delta(asks: [("101", "0")], timeNs: 1_200)), into: &step)
        let book = try #require(runtime.execution.link?.venue.book(for: TestInstruments.btcId))
        #expect(book.book.bestAsk == BookLevel(price: px("102"), size: qty("2")))
        #expect(book.book.bestBid == BookLevel(price: px("99"), size: qty("1")))
    }
}
