import Foundation
import Testing
import TradewindCore

/// What the simulated venue answers besides order flow: queries, open orders, trades, balances.
@Suite struct SimulatedVenueAccountTests {
    private static let btc = TestInstruments.btcId
    private static let eth = TestInstruments.ethId

    @Test func queryAnswersFillsThenStatus() throws {
        var venue = try ExecutionFixtures.venue(latencyNs: 100)
        _ = venue.onQuote(QuoteBuilder(askSize: qty("1")).build())
        let placed = venue.submit(approvedOrder("a", .buy, "3", limit: "101"), timeNs: 1_000)
        #expect(placed.count == 2)
        let answer = venue.handle(.query(clientOrderId: "TW-a", instrument: Self.btc), timeNs: 5_000)
        #expect(answer == [
            .filled(clientOrderId: "TW-a", venueOrderId: "SIM-1", tradeId: "SIMT-1", quantity: qty("1"), price: px("101"),
                    fee: usd("0.101"), liquidity: .taker, timeNs: 1_100),
            .orderStatus(VenueOrderSnapshot(
                clientOrderId: "TW-a", venueOrderId: "SIM-1", instrument: Self.btc, side: .buy, orderType: .limit,
                timeInForce: .gtc, quantity: qty("3"), limitPrice: px("101"), filledQuantity: qty("1"),
                averagePrice: px("101"), state: .partiallyFilled, timeNs: 1_100)),
        ])
    }

    @Test func queryOfUnknownOrRejectedOrdersIsNotFound() throws {
        var venue = try ExecutionFixtures.venue(latencyNs: 100)
        _ = venue.submit(approvedOrder("m", .buy, "1"), timeNs: 0)  // no market: rejected
        #expect(venue.query(clientOrderId: "TW-m", timeNs: 10) == [.notFound(clientOrderId: "TW-m", timeNs: 110)])
        #expect(venue.query(clientOrderId: "TW-zz", timeNs: 20) == [.notFound(clientOrderId: "TW-zz", timeNs: 120)])
    }

    @Test func finishedOrdersReportTheirFinalState() throws {
        var venue = try ExecutionFixtures.venue()
        _ = venue.onQuote(QuoteBuilder(askSize: qty("1")).build())
        _ = venue.submit(approvedOrder("ioc", .buy, "2", limit: "101", timeInForce: .ioc), timeNs: 0)
        _ = venue.submit(approvedOrder("gtc", .sell, "1", limit: "200"), timeNs: 0)
        _ = venue.cancel(clientOrderId: "TW-gtc", timeNs: 5)
        #expect(venue.order(clientOrderId: "TW-ioc")?.state == .canceled)
        #expect(venue.order(clientOrderId: "TW-ioc")?.filledQuantity == qty("1"))
        #expect(venue.order(clientOrderId: "TW-gtc")?.state == .canceled)
        #expect(venue.openOrders(instruments: []).isEmpty)
    }

    @Test func listsOpenOrdersPerInstrumentInArrivalOrder() throws {
        var venue = try ExecutionFixtures.venue()
        _ = venue.submit(approvedOrder("a", .buy, "1", limit: "90"), timeNs: 0)
        _ = venue.submit(approvedOrder("e", .buy, "1", limit: "90", instrument: Self.eth), timeNs: 1)
        let external = try venue.placeExternal(
            clientOrderId: "", instrument: Self.btc, side: .sell, quantity: qty("2"), limitPrice: px("120"), timeNs: 2)
        #expect(venue.openOrders(instruments: [Self.btc]).map(\.venueOrderId) == ["SIM-1", external.venueOrderId])
        #expect(venue.openOrders(instruments: [Self.eth]).map(\.clientOrderId) == ["TW-e"])
        #expect(venue.openOrders(instruments: []).count == 3)
    }

    @Test func externalOrdersRestAndFillAsMaker() throws {
        var venue = try ExecutionFixtures.venue()
        let placed = try venue.placeExternal(
            clientOrderId: "TW-ghost", instrument: Self.btc, side: .buy, quantity: qty("1"), limitPrice: px("99"), timeNs: 10)
        #expect(placed.state == .open && placed.clientOrderId == "TW-ghost")
        #expect(venue.restingOrders.count == 1)
        let fills = venue.onQuote(QuoteBuilder(bid: px("97"), ask: px("98"), timeNs: 20).build())
        #expect(fills.map(\.clientOrderId) == ["TW-ghost"])
        #expect(venue.trades(instrument: Self.btc, sinceNs: 0).map(\.clientOrderId) == ["TW-ghost"])
        #expect(throws: VenueError.self) {
            try venue.placeExternal(clientOrderId: "TW-ghost", instrument: Self.btc, side: .buy, quantity: qty("1"), limitPrice: px("99"), timeNs: 30)
        }
        #expect(venue.submit(approvedOrder("ghost", .buy, "1", limit: "99"), timeNs: 40).first
            == .rejected(
                clientOrderId: "TW-ghost", reason: OrderReason(.duplicateClientOrderId, "client order id TW-ghost already used"),
                timeNs: 40))
    }

    @Test func listsTradesSinceATimeWithinTheHistoryLimit() throws {
        var venue = try ExecutionFixtures.venue(historyLimit: 3)
        for step in 0..<5 {
            _ = venue.onQuote(QuoteBuilder(timeNs: Int64(step * 100)).build())
            _ = venue.submit(approvedOrder("m\(step)", .buy, "1"), timeNs: Int64(step * 100 + 1))
        }
        #expect(venue.trades(instrument: Self.btc, sinceNs: 0).map(\.tradeId) == ["SIMT-3", "SIMT-4", "SIMT-5"])
        #expect(venue.trades(instrument: Self.btc, sinceNs: 300).map(\.timeNs) == [301, 401])
        #expect(venue.trades(instrument: Self.eth, sinceNs: 0).isEmpty)
        // finished orders beyond the limit are forgotten
        #expect(venue.query(clientOrderId: "TW-m0", timeNs: 1_000).first == .notFound(clientOrderId: "TW-m0", timeNs: 1_000))
        #expect(venue.order(clientOrderId: "TW-m4")?.state == .filled)
    }

    @Test func fillsMoveBaseAndQuoteAndChargeFeesInTheQuoteAsset() throws {
        var venue = try ExecutionFixtures.venue(balances: ["BTC": qty("1"), "USDT": qty("1000")])
        _ = venue.onQuote(QuoteBuilder().build())
        _ = venue.submit(approvedOrder("buy", .buy, "2"), timeNs: 0)  // 2 @ 101, taker fee 0.202
        var account = venue.account(timeNs: 1)
        #expect(account.total("BTC") == qty("3"))
        #expect(account.total("USDT") == qty("797.798"))

        _ = venue.submit(approvedOrder("sell", .sell, "1", limit: "102"), timeNs: 2)
        account = venue.account(timeNs: 3)
        #expect(account.balances.first { $0.asset == "BTC" } == VenueBalance(asset: "BTC", free: qty("2"), locked: qty("1")))
        _ = venue.onQuote(QuoteBuilder(bid: px("102"), ask: px("103"), timeNs: 4).build())  // maker at 102, rebate 0.0204
        account = venue.account(timeNs: 5)
        #expect(account.total("BTC") == qty("2"))
        #expect(account.total("USDT") == qty("899.8184"))
        #expect(account.balances.map(\.asset) == ["BTC", "USDT"] && account.canTrade && account.timeNs == 5)
    }

    @Test func restingBuysLockQuoteNotional() throws {
        var venue = try ExecutionFixtures.venue(balances: ["USDT": qty("1000")])
        _ = venue.submit(approvedOrder("b", .buy, "2", limit: "90"), timeNs: 0)
        #expect(venue.account(timeNs: 1).balances == [VenueBalance(asset: "USDT", free: qty("820"), locked: qty("180"))])
        _ = venue.cancel(clientOrderId: "TW-b", timeNs: 2)
        #expect(venue.account(timeNs: 3).balances == [VenueBalance(asset: "USDT", free: qty("1000"), locked: .zero)])
    }

    @Test func sameSeedGivesSameAnswersToEveryCommand() throws {
        func run(_ seed: UInt64) throws -> [VenueEvent] {
            var venue = try ExecutionFixtures.venue(seed: seed, latencyNs: 10, jitterNs: 500)
            var events: [VenueEvent] = []
            for step in 0..<30 {
                let time = Int64(step) * 1_000
                events += venue.onQuote(QuoteBuilder(bid: px("\(100 + step % 3)"), ask: px("\(101 + step % 3)"), timeNs: time).build())
                events += venue.handle(.submit(approvedOrder("o\(step)", step % 2 == 0 ? .buy : .sell, "1", limit: "101")), timeNs: time + 1)
                events += venue.handle(.query(clientOrderId: "TW-o\(step / 2)", instrument: Self.btc), timeNs: time + 2)
                events += venue.handle(.cancel(clientOrderId: "TW-o\(step / 3)", instrument: Self.btc), timeNs: time + 3)
            }
            return events
        }
        #expect(try run(9) == run(9))
        #expect(try run(9) != run(10))
    }

    @Test func configurationValidatesNewKeysAndDecodesOlderDocuments() throws {
        #expect(throws: ConfigurationError(key: "initialBalances[BTC]", value: "-1", reason: "must be >= 0")) {
            try SimulatedVenue(configuration: SimulatedVenueConfiguration(
                takerFeeBps: 0, makerFeeBps: 0, seed: 1, initialBalances: ["BTC": qty("-1")]))
        }
        #expect(throws: ConfigurationError.self) {
            try SimulatedVenue(configuration: SimulatedVenueConfiguration(takerFeeBps: 0, makerFeeBps: 0, seed: 1, historyLimit: 0))
        }
        let older = #"{"takerFeeBps":10,"makerFeeBps":0,"seed":3,"venueName":"SIM","latencyNs":0,"latencyJitterNs":0}"#
        let decoded = try JSONDecoder().decode(SimulatedVenueConfiguration.self, from: Data(older.utf8))
        #expect(decoded == SimulatedVenueConfiguration(takerFeeBps: 10, makerFeeBps: 0, seed: 3))
        let full = SimulatedVenueConfiguration(
            takerFeeBps: 1, makerFeeBps: 2, seed: 3, initialBalances: ["USDT": qty("5")], historyLimit: 7,
            instruments: ExecutionFixtures.instruments)
        #expect(try JSONDecoder().decode(SimulatedVenueConfiguration.self, from: JSONEncoder().encode(full)) == full)
    }
}
