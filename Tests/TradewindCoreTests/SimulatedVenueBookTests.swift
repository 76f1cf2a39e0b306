import Testing
import TradewindCore

/// The simulated venue with an L2 book: takers walk the levels; without a book nothing changes.
@Suite struct SimulatedVenueBookTests {
    @Test func aMarketBuyWalksTheAsksWithOneFillPerLevelAtThatLevelsPrice() throws {
        var venue = try L2.venue()
        let events = venue.submit(approvedOrder("m", .buy, "2.5"), timeNs: 1_500)
        #expect(events.fillsSeen == ["1@101 taker", "1.5@102 taker"])
        #expect(events.fees == [usd("0.101"), usd("0.153")], "10 bps of each level's notional")
        let order = venue.order(clientOrderId: "TW-m")
        #expect(order?.state == .filled && order?.averagePrice == px("101.6"))
    }

    @Test func aMarketSellWalksTheBids() throws {
        var venue = try L2.venue()
        let events = venue.submit(approvedOrder("m", .sell, "4"), timeNs: 1_500)
        #expect(events.fillsSeen == ["1@99 taker", "2@98 taker", "1@97 taker"])
    }

    @Test func whenTheDepthRunsOutTheRestOfAMarketOrderIsCanceled() throws {
        var venue = try L2.venue()
        let events = venue.submit(approvedOrder("m", .buy, "10"), timeNs: 1_500)
        #expect(events.fillsSeen == ["1@101 taker", "2@102 taker", "3@103 taker"])
        #expect(events.last == .canceled(clientOrderId: "TW-m", reason: OrderReason(.unfilledRemainder, "4 unfilled"), timeNs: 1_500))
        #expect(venue.submit(approvedOrder("n", .buy, "1"), timeNs: 1_600).fillsSeen.isEmpty, "the book is taken until it changes")
    }

    @Test func aLimitOrderTakesOnlyTheLevelsWithinItsPriceAndAnIOCRestIsCanceled() throws {
        var venue = try L2.venue()
        let events = venue.submit(approvedOrder("i", .buy, "5", limit: "102", timeInForce: .ioc), timeNs: 1_500)
        #expect(events.fillsSeen == ["1@101 taker", "2@102 taker"])
        #expect(events.last == .canceled(clientOrderId: "TW-i", reason: OrderReason(.unfilledRemainder, "2 unfilled"), timeNs: 1_500))
    }

    @Test func aGTCRestRestsAtItsLimitBehindTheSizeDisplayedThere() throws {
        var venue = try L2.venue()
        let events = venue.submit(approvedOrder("g", .sell, "5", limit: "98"), timeNs: 1_500)
        #expect(events.fillsSeen == ["1@99 taker", "2@98 taker"])
        #expect(venue.restingOrders.map(\.remaining) == [qty("2")])
        #expect(venue.restingOrders.map(\.queueAhead) == [qty("0")], "no ask displayed at 98")
    }

    @Test func takenLiquidityStaysTakenUntilAnUpdateSetsThatLevelAgain() throws {
        var venue = try L2.venue()
        #expect(venue.submit(approvedOrder("a", .buy, "1"), timeNs: 1_500).fillsSeen == ["1@101 taker"])
        #expect(venue.submit(approvedOrder("b", .buy, "1"), timeNs: 1_600).fillsSeen == ["1@102 taker"])
        _ = venue.onBook(L2.delta(bids: [("99", "3")]))
        #expect(venue.submit(approvedOrder("c", .buy, "0.5"), timeNs: 2_100).fillsSeen == ["0.5@102 taker"], "101 is still taken")
        _ = venue.onBook(L2.delta(asks: [("101", "0.4")], timeNs: 2_200))
        #expect(venue.submit(approvedOrder("d", .buy, "1"), timeNs: 2_300).fillsSeen == ["0.4@101 taker", "0.5@102 taker", "0.1@103 taker"])
        #expect(venue.book(for: TestInstruments.btcId)?.book.levels(.ask) == Depth.levels([("101", "0.4"), ("102", "2"), ("103", "3")]),
                "the market's book stays as the data gives it")
    }

    @Test func aSnapshotGivesBackEveryLevelTaken() throws {
        var venue = try L2.venue()
        _ = venue.submit(approvedOrder("a", .buy, "3"), timeNs: 1_500)
        _ = venue.onBook(L2.snapshot(bids: Depth.standardBids, asks: Depth.standardAsks, timeNs: 2_000))
        #expect(venue.submit(approvedOrder("b", .buy, "1"), timeNs: 2_100).fillsSeen == ["1@101 taker"])
    }

    @Test func aMarketOrderMeetingNoLevelsIsRejected() throws {
        var venue = try ExecutionFixtures.venue()
        _ = venue.onQuote(QuoteBuilder().build())
        _ = venue.onBook(L2.snapshot(bids: [("99", "1")], asks: []))
        #expect(venue.submit(approvedOrder("m", .buy, "1"), timeNs: 1_500) == [
            .rejected(clientOrderId: "TW-m", reason: OrderReason(.noMarket, "no ask to fill against"), timeNs: 1_500),
        ], "the book decides, not the quote")
        #expect(venue.submit(approvedOrder("s", .sell, "1"), timeNs: 1_500).fillsSeen == ["1@99 taker"])
    }

    @Test func quotesNoLongerFillOrdersOfAnInstrumentWithABook() throws {
        var venue = try L2.venue()
        _ = venue.submit(approvedOrder("g", .buy, "1", limit: "100"), timeNs: 1_500)
        #expect(venue.onQuote(QuoteBuilder(bid: px("98"), ask: px("99"), timeNs: 2_000).build()).isEmpty)
        #expect(venue.restingOrders.count == 1)
        #expect(venue.submit(approvedOrder("m", .buy, "1"), timeNs: 2_100).fillsSeen == ["1@101 taker"])
    }

    @Test func withoutABookTradesChangeNothingAndQuotesFillAsBefore() throws {
        var venue = try ExecutionFixtures.venue()
        _ = venue.onQuote(QuoteBuilder().build())
        _ = venue.submit(approvedOrder("g", .buy, "1", limit: "100"), timeNs: 1_500)
        #expect(venue.restingOrders.map(\.queueAhead) == [nil])
        #expect(venue.onTrade(L2.trade(.sell, "5", at: "99")).isEmpty)
        #expect(!venue.hasBook(TestInstruments.btcId))
        let fills = venue.onQuote(QuoteBuilder(bid: px("99"), ask: px("99.5"), timeNs: 4_000).build())
        #expect(fills.fillsSeen == ["1@100 maker"])
    }

    @Test func droppingTheBookFallsBackToQuotesUntilTheNextSnapshot() throws {
        var venue = try L2.venue()
        _ = venue.onQuote(QuoteBuilder().build())
        _ = venue.submit(approvedOrder("g", .buy, "3", limit: "98"), timeNs: 1_500)
        venue.dropBook(TestInstruments.btcId)
        #expect(!venue.hasBook(TestInstruments.btcId) && venue.restingOrders.map(\.queueAhead) == [nil])
        #expect(venue.onBook(L2.delta(asks: [("97", "1")])).isEmpty, "a delta waits for a snapshot")
        #expect(!venue.hasBook(TestInstruments.btcId))
        let byQuote = venue.onQuote(QuoteBuilder(bid: px("97"), ask: px("97.5"), askSize: qty("1"), timeNs: 2_500).build())
        #expect(byQuote.fillsSeen == ["1@98 maker"])
        #expect(venue.onBook(L2.snapshot(bids: [("98", "4")], asks: [("99", "1")], timeNs: 3_000)).isEmpty)
        #expect(venue.hasBook(TestInstruments.btcId))
        #expect(venue.restingOrders.map(\.queueAhead) == [qty("4")], "queued again behind what the snapshot displays")
    }

    @Test func aRefusedUpdateDropsTheBookUntilASnapshot() throws {
        var venue = try L2.venue()
        _ = venue.onBook(L2.delta(bids: [("99", "-1")]))
        #expect(!venue.hasBook(TestInstruments.btcId))
        _ = venue.onBook(L2.delta(bids: [("99", "1")], timeNs: 2_100))
        #expect(!venue.hasBook(TestInstruments.btcId))
        _ = venue.onBook(L2.snapshot(bids: [("99", "1")], asks: [("100", "1")], timeNs: 2_200))
        #expect(venue.book(for: TestInstruments.btcId)?.book.bestAsk == BookLevel(price: px("100"), size: qty("1")))
    }
}
