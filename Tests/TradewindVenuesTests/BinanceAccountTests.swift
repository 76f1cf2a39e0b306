import Testing
import TradewindCore
import TradewindVenues

/// Reads of venue state: open orders, our trades, balances.
@Suite(.serialized, .fakeBinance) struct BinanceAccountTests {
    @Test func listsOpenOrdersIncludingOnesPlacedOutsideTheEngine() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server)
        let ours = approved(uniqueOrderId("own"), .buy, "0.2", limit: "55000")
        _ = try await adapter.submit(ours)
        let lostId = uniqueOrderId("lost")
        try await server.externalOrder(symbol: "BTCUSDT", side: "BUY", quantity: "0.3", price: "54000", clientOrderId: lostId)
        try await server.externalOrder(symbol: "BTCUSDT", side: "SELL", quantity: "0.1", price: "80000", clientOrderId: "web_manual_1")

        let open = try await adapter.openOrders(instruments: [btcusdt, ethusdt])
        let own = try #require(open.first { $0.clientOrderId == ours.clientOrderId })
        #expect(own.state == .open)
        #expect(own.orderType == .limit)
        #expect(own.quantity == qty("0.2"))
        #expect(own.limitPrice == px("55000"))
        #expect(open.contains { $0.clientOrderId == lostId && $0.quantity == qty("0.3") })
        let foreign = try #require(open.first { $0.side == .sell && $0.limitPrice == px("80000") })
        #expect(foreign.clientOrderId == "web_manual_1")
        #expect(!foreign.venueOrderId.isEmpty)
        #expect(open.allSatisfy { $0.instrument == btcusdt })
    }

    @Test func listsOurTradesSinceAGivenTimeWithFeesInTheirAsset() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server)
        try await server.setPrice("ETHUSDT", "3000")
        let started = adapter.client.venueNowNs() - 1_000_000
        let events = try await adapter.submit(approved(uniqueOrderId("t1"), .buy, "2", instrument: ethusdt))
        _ = try await adapter.submit(approved(uniqueOrderId("t2"), .sell, "1", instrument: ethusdt))

        let trades = try await adapter.trades(instrument: ethusdt, sinceNs: started)
        #expect(trades.count == 2)
        let buy = try #require(trades.first)
        #expect(buy.tradeId == events.last?.tradeId)
        #expect(buy.venueOrderId == events.first?.venueOrderId)
        #expect(buy.side == .buy)
        #expect(buy.quantity == qty("2"))
        #expect(buy.price == px("3000"))
        #expect(buy.fee == money("6"))
        #expect(buy.feeAsset == "USDT")
        #expect(buy.liquidity == .taker)
        #expect(trades.last?.side == .sell)
        #expect(try await adapter.trades(instrument: ethusdt, sinceNs: trades[1].timeNs + 1_000_000).isEmpty)
    }

    @Test func readsAllPagesOfTrades() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server, tradesPageLimit: 2)
        let started = adapter.client.venueNowNs() - 1_000_000
        for index in 0..<5 {
            _ = try await adapter.submit(approved(uniqueOrderId("p\(index)"), .buy, "0.001"))
        }
        let trades = try await adapter.trades(instrument: btcusdt, sinceNs: started)
        #expect(trades.count == 5)
        #expect(Set(trades.map(\.tradeId)).count == 5)
    }

    @Test func reportsFreeAndLockedBalances() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server)
        let before = try await adapter.account()
        #expect(before.canTrade)
        let order = approved(uniqueOrderId("lock"), .sell, "1.5", limit: "99000")
        _ = try await adapter.submit(order)
        let after = try await adapter.account()
        let btcBefore = try #require(before.balances.first { $0.asset == "BTC" })
        let btcAfter = try #require(after.balances.first { $0.asset == "BTC" })
        #expect(btcAfter.locked == btcBefore.locked + qty("1.5"))
        #expect(btcAfter.free == btcBefore.free - qty("1.5"))
        #expect(after.total("BTC") == before.total("BTC"))

        let state = try await server.state()
        #expect(state.balances["USDT"].map { qty($0.free) } == after.balances.first { $0.asset == "USDT" }?.free)
        _ = try await adapter.cancel(clientOrderId: order.clientOrderId, instrument: btcusdt)
        #expect(try await adapter.account().total("BTC") == before.total("BTC"))
    }

    @Test func answersNothingToQuotes() throws {
        let adapter = try binanceAdapter(try currentServer())
        let quote = Quote(instrument: btcusdt, bid: px("1"), bidSize: qty("1"), ask: px("2"), askSize: qty("1"), timeNs: 1)
        #expect(adapter.onQuote(quote).isEmpty)
        #expect(adapter.name == "BINANCE")
    }
}
