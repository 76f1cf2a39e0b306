import Testing
import TradewindCore

@Suite struct SimulatedVenueTests {
    private static func venue(seed: UInt64 = 1, jitter: Int64 = 0) throws -> SimulatedVenue {
        try SimulatedVenue(configuration: SimulatedVenueConfiguration(
            takerFeeBps: 10, makerFeeBps: -2, seed: seed, latencyNs: 100, latencyJitterNs: jitter))
    }

    @Test func fillsMarketBuyAtAskWithTakerFee() throws {
        var venue = try Self.venue()
        _ = venue.onQuote(QuoteBuilder().build())
        let events = venue.submit(approvedOrder("m1", .buy, "2"), timeNs: 1_000)
        #expect(events == [
            .accepted(clientOrderId: "TW-m1", venueOrderId: "SIM-1", timeNs: 1_100),
            .filled(clientOrderId: "TW-m1", venueOrderId: "SIM-1", tradeId: "SIMT-1", quantity: qty("2"),
                    price: px("101"), fee: usd("0.202"), liquidity: .taker, timeNs: 1_100),
        ])
    }

    @Test func fillsMarketSellAtBid() throws {
        var venue = try Self.venue()
        _ = venue.onQuote(QuoteBuilder().build())
        let events = venue.submit(approvedOrder("m1", .sell, "1"), timeNs: 1_000)
        guard case .filled(_, _, _, _, let price, let fee, _, _, _) = events.last else {
            Issue.record("expected a fill, got \(events)")
            return
        }
        #expect(price == px("100"))
        #expect(fee == usd("0.1"))
    }

    @Test func partiallyFillsAgainstQuotedSizeAndCancelsRest() throws {
        var venue = try Self.venue()
        _ = venue.onQuote(QuoteBuilder().build())
        let events = venue.submit(approvedOrder("m1", .buy, "8"), timeNs: 1_000)
        #expect(events.count == 3)
        guard case .filled(_, _, _, let quantity, _, _, _, _, _) = events[1] else {
            Issue.record("expected a fill")
            return
        }
        #expect(quantity == qty("5"))
        #expect(events[2] == .canceled(clientOrderId: "TW-m1", reason: OrderReason(.unfilledRemainder, "3 unfilled"), timeNs: 1_100))
        // The quoted size is consumed until the next quote.
        let next = venue.submit(approvedOrder("m2", .buy, "1"), timeNs: 2_000)
        #expect(next.map(\.clientOrderId) == ["TW-m2", "TW-m2"])
        guard case .canceled = next.last else {
            Issue.record("expected the order to be canceled without liquidity")
            return
        }
    }

    @Test func rejectsMarketOrderWithoutQuote() throws {
        var venue = try Self.venue()
        #expect(venue.submit(approvedOrder("m1", .buy, "1"), timeNs: 5) == [
            .rejected(clientOrderId: "TW-m1", reason: OrderReason(.noMarket, "no ask to fill against"), timeNs: 105),
        ])
    }

    @Test func restsLimitOrderAndFillsItAsMakerOnCrossingQuote() throws {
        var venue = try Self.venue()
        _ = venue.onQuote(QuoteBuilder().build())
        let events = venue.submit(approvedOrder("l1", .buy, "3", limit: "99"), timeNs: 1_000)
        #expect(events == [.accepted(clientOrderId: "TW-l1", venueOrderId: "SIM-1", timeNs: 1_100)])
        #expect(venue.restingOrders.count == 1)
        #expect(venue.onQuote(QuoteBuilder(bid: px("99.5"), ask: px("99.01"), timeNs: 1_500).build()).isEmpty)

        let fills = venue.onQuote(QuoteBuilder(bid: px("98"), ask: px("98.5"), askSize: qty("2"), timeNs: 2_000).build())
        #expect(fills == [
            .filled(clientOrderId: "TW-l1", venueOrderId: "SIM-1", tradeId: "SIMT-1", quantity: qty("2"),
                    price: px("99"), fee: usd("-0.0396"), liquidity: .maker, timeNs: 2_000),
        ])
        let rest = venue.onQuote(QuoteBuilder(bid: px("98"), ask: px("99"), askSize: qty("10"), timeNs: 3_000).build())
        guard case .filled(_, _, let tradeId, let quantity, _, _, _, _, _) = rest.first else {
            Issue.record("expected the rest to fill")
            return
        }
        #expect(tradeId == "SIMT-2" && quantity == qty("1"))
        #expect(venue.restingOrders.isEmpty)
    }

    @Test func marketableLimitTakesThenRestsOrCancels() throws {
        var venue = try Self.venue()
        _ = venue.onQuote(QuoteBuilder().build())
        let gtc = venue.submit(approvedOrder("g", .buy, "7", limit: "102"), timeNs: 0)
        guard case .filled(_, _, _, let quantity, let price, _, let liquidity, _, _) = gtc[1] else {
            Issue.record("expected a taker fill")
            return
        }
        #expect(quantity == qty("5") && price == px("101") && liquidity == .taker)
        #expect(gtc.count == 2)
        #expect(venue.restingOrders.map(\.remaining) == [qty("2")])

        _ = venue.onQuote(QuoteBuilder().build())
        let ioc = venue.submit(approvedOrder("i", .sell, "1", limit: "100.5", timeInForce: .ioc), timeNs: 0)
        #expect(ioc.last == .canceled(clientOrderId: "TW-i", reason: OrderReason(.unfilledRemainder, "1 unfilled"), timeNs: 100))
    }

    @Test func cancelsRestingOrdersAndRefusesOthers() throws {
        var venue = try Self.venue()
        _ = venue.submit(approvedOrder("l1", .sell, "1", limit: "200"), timeNs: 0)
        #expect(venue.cancel(clientOrderId: "TW-l1", timeNs: 10)
            == [.canceled(clientOrderId: "TW-l1", reason: OrderReason(.canceled), timeNs: 110)])
        #expect(venue.cancel(clientOrderId: "TW-l1", timeNs: 20)
            == [.cancelRejected(clientOrderId: "TW-l1", reason: OrderReason(.orderNotOpen), timeNs: 120)])
        #expect(venue.cancel(clientOrderId: "TW-zz", timeNs: 20)
            == [.cancelRejected(clientOrderId: "TW-zz", reason: OrderReason(.unknownOrder), timeNs: 120)])
    }

    @Test func rejectsDuplicateClientOrderIds() throws {
        var venue = try Self.venue()
        _ = venue.submit(approvedOrder("l1", .sell, "1", limit: "200"), timeNs: 0)
        #expect(venue.submit(approvedOrder("l1", .sell, "1", limit: "200"), timeNs: 0) == [
            .rejected(
                clientOrderId: "TW-l1", reason: OrderReason(.duplicateClientOrderId, "client order id TW-l1 already used"),
                timeNs: 100),
        ])
    }

    @Test func sameSeedGivesSameEvents() throws {
        func run(seed: UInt64) throws -> [VenueEvent] {
            var venue = try Self.venue(seed: seed, jitter: 1_000)
            var events: [VenueEvent] = []
            for step in 0..<50 {
                let center = 100 + step % 7
                events += venue.onQuote(QuoteBuilder(bid: px("\(center)"), ask: px("\(center + 1)"), timeNs: Int64(step * 10_000)).build())
                events += venue.submit(approvedOrder("o\(step)", step % 2 == 0 ? .buy : .sell, "1", limit: step % 3 == 0 ? "103" : nil), timeNs: Int64(step * 10_000 + 1))
            }
            return events
        }
        let first = try run(seed: 42)
        #expect(first == (try run(seed: 42)))
        #expect(first != (try run(seed: 43)))
        let latencies = first.compactMap { event -> Int64? in
            guard case .accepted(_, _, let time) = event else { return nil }
            return time % 10_000 - 1
        }
        #expect(latencies.count == 50)
        #expect(latencies.allSatisfy { (100...1_100).contains($0) })
        #expect(Set(latencies).count > 1)
    }

    @Test func rejectsOutOfRangeFees() {
        #expect(throws: ConfigurationError.self) {
            try SimulatedVenue(configuration: SimulatedVenueConfiguration(takerFeeBps: 20_000, makerFeeBps: 0, seed: 1))
        }
    }
}
