import Testing
import TradewindCore

/// Resting orders over an L2 book: a FIFO queue behind the size displayed at their price.
@Suite struct SimulatedVenueQueueTests {
    /// The standard book (bids 99×1, 98×2, 97×3) with our buy of `quantity` resting at 98.
    private static func venueWithBuyAt98(_ quantity: String = "1") throws -> SimulatedVenue {
        var venue = try L2.venue()
        let events = venue.submit(approvedOrder("b", .buy, quantity, limit: "98"), timeNs: 1_500)
        #expect(events.fillsSeen.isEmpty)
        return venue
    }

    @Test func aRestingOrderQueuesBehindTheSizeDisplayedAtItsPrice() throws {
        let venue = try Self.venueWithBuyAt98()
        #expect(venue.restingOrders.map(\.queueAhead) == [qty("2")])
    }

    @Test func tradesAtItsPriceConsumeTheQueueAheadBeforeFillingTheOrder() throws {
        var venue = try Self.venueWithBuyAt98()
        #expect(venue.onTrade(L2.trade(.sell, "1.5", at: "98")).isEmpty)
        #expect(venue.restingOrders.map(\.queueAhead) == [qty("0.5")])
        let first = venue.onTrade(L2.trade(.sell, "1", at: "98", timeNs: 3_100))
        #expect(first.fillsSeen == ["0.5@98 maker"], "0.5 of the trade went to the queue ahead, 0.5 to us")
        #expect(first.fees == [usd("-0.0098")], "a maker rebate of 2 bps")
        #expect(venue.onTrade(L2.trade(.sell, "1", at: "98", timeNs: 3_200)).fillsSeen == ["0.5@98 maker"])
        #expect(venue.restingOrders.isEmpty)
    }

    @Test func tradesByBuyersOrAboveTheLimitDoNotReachARestingBuy() throws {
        var venue = try Self.venueWithBuyAt98()
        #expect(venue.onTrade(L2.trade(.buy, "5", at: "98")).isEmpty)
        #expect(venue.onTrade(L2.trade(.sell, "5", at: "99")).isEmpty)
        #expect(venue.restingOrders.map(\.queueAhead) == [qty("2")])
    }

    @Test func aTradeThroughThePriceFillsTheOrderWithNothingAhead() throws {
        var venue = try Self.venueWithBuyAt98()
        #expect(venue.onTrade(L2.trade(.sell, "0.7", at: "97")).fillsSeen == ["0.7@98 maker"])
        #expect(venue.restingOrders.map(\.queueAhead) == [qty("0")])
    }

    @Test func aDecreaseOfTheLevelIsTakenAsCancellationsAheadButNeverBelowZero() throws {
        var venue = try Self.venueWithBuyAt98()
        _ = venue.onBook(L2.delta(bids: [("98", "1.5")]))
        #expect(venue.restingOrders.map(\.queueAhead) == [qty("1.5")])
        _ = venue.onBook(L2.delta(bids: [("98", "3")], timeNs: 2_100))
        #expect(venue.restingOrders.map(\.queueAhead) == [qty("1.5")], "orders joining the level queue behind us")
        _ = venue.onBook(L2.delta(bids: [("98", "0.2")], timeNs: 2_200))
        #expect(venue.restingOrders.map(\.queueAhead) == [qty("0")], "2.8 canceled: everything ahead of us left")
        #expect(venue.onTrade(L2.trade(.sell, "0.4", at: "98")).fillsSeen == ["0.4@98 maker"])
    }

    @Test func aDecreaseThatTradesExplainIsNotCountedTwice() throws {
        var venue = try Self.venueWithBuyAt98()
        _ = venue.onTrade(L2.trade(.sell, "1", at: "98", timeNs: 1_800))
        #expect(venue.restingOrders.map(\.queueAhead) == [qty("1")])
        _ = venue.onBook(L2.delta(bids: [("98", "1")]))
        #expect(venue.restingOrders.map(\.queueAhead) == [qty("1")], "the level shows the trade: nothing was canceled")
        _ = venue.onBook(L2.delta(bids: [("98", "0.6")], timeNs: 2_100))
        #expect(venue.restingOrders.map(\.queueAhead) == [qty("0.6")], "the trade was already counted; 0.4 more left")
    }

    @Test func anOrderTheOppositeBestReachesFillsInFull() throws {
        var venue = try Self.venueWithBuyAt98("3")
        let fills = venue.onBook(L2.delta(asks: [("97.5", "0.1")]))
        #expect(fills.fillsSeen == ["3@98 maker"], "the asks came down through our price: the queue at 98 traded")
        #expect(venue.restingOrders.isEmpty)
    }

    @Test func aRestingSellFillsInFullWhenTheBidRisesToItsPrice() throws {
        var venue = try L2.venue()
        _ = venue.submit(approvedOrder("s", .sell, "2", limit: "102"), timeNs: 1_500)
        #expect(venue.restingOrders.map(\.queueAhead) == [qty("2")])
        #expect(venue.onBook(L2.delta(bids: [("102", "0.5")])).fillsSeen == ["2@102 maker"])
    }

    @Test func liquidityWeTookIsNotTheOppositeSideReachingUs() throws {
        var venue = try L2.venue()
        let taken = venue.submit(approvedOrder("g", .buy, "5", limit: "102"), timeNs: 1_500)
        #expect(taken.fillsSeen == ["1@101 taker", "2@102 taker"])
        #expect(venue.onBook(L2.delta(bids: [("99", "1.2")])).isEmpty, "101 and 102 are ours already; 103 is above the limit")
        #expect(venue.onBook(L2.delta(asks: [("102", "2")], timeNs: 2_100)).fillsSeen == ["2@102 maker"])
    }

    @Test func oneTradeIsSharedAmongOurOrdersInPriceTimePriority() throws {
        var venue = try L2.venue()
        _ = venue.submit(approvedOrder("a", .buy, "1", limit: "98"), timeNs: 1_500)
        _ = venue.submit(approvedOrder("b", .buy, "1", limit: "98"), timeNs: 1_600)
        _ = venue.submit(approvedOrder("c", .buy, "1", limit: "97"), timeNs: 1_700)
        // the queue at 98: 2 displayed, a, b (b's queue ahead is the same 2: our own a is not displayed)
        let sweep = venue.onTrade(L2.trade(.sell, "3.5", at: "98"))
        #expect(sweep.fillsSeen == ["1@98 maker", "0.5@98 maker"])
        #expect(sweep.map(\.clientOrderId) == ["TW-a", "TW-b"])
        let through = venue.onTrade(L2.trade(.sell, "1", at: "97", timeNs: 3_100))
        #expect(through.fillsSeen == ["0.5@98 maker"], "b first: its price is better; the rest reaches c's queue")
        #expect(venue.restingOrders.map(\.clientOrderId) == ["TW-c"])
        #expect(venue.restingOrders.map(\.queueAhead) == [qty("2.5")])
    }

    @Test(arguments: [1 as UInt64, 2, 3, 4, 5])
    func theQueueAheadNeverExceedsTheDisplayedSizeNorGoesBelowZero(seed: UInt64) throws {
        var venue = try L2.venue()
        var random = SeededGenerator(seed: seed)
        let prices = ["97", "98", "99"]
        for (index, price) in prices.enumerated() {
            _ = venue.submit(approvedOrder("o\(index)", .buy, "50", limit: price), timeNs: 1_500)
        }
        var time: Int64 = 2_000
        for _ in 0..<400 {
            time += 1
            let price = prices[Int(random.nextBounded(3))]
            let size = Quantity(units: Int64(random.nextBounded(400)) * 1_000_000)
            if random.nextBounded(2) == 0 {
                _ = venue.onBook(BookUpdate(instrument: TestInstruments.btcId, snapshot: false,
                                            bids: [BookLevel(price: px(price), size: size)], asks: [], timeNs: time))
            } else if size > .zero {
                _ = venue.onTrade(Trade(instrument: TestInstruments.btcId, price: px(price), size: size, aggressor: .sell,
                                        tradeId: "\(time)", timeNs: time))
            }
            let book = try #require(venue.book(for: TestInstruments.btcId))
            for order in venue.restingOrders {
                let ahead = try #require(order.queueAhead)
                #expect(ahead >= .zero && ahead <= book.displayed(.bid, at: order.limitPrice))
            }
        }
    }
}
