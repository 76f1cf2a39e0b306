import Foundation
import Testing
import TradewindCore
import TradewindVenues

/// Fees Binance takes in another asset than the quote asset: the base asset on buys (its default)
/// or BNB. The fill's fee is valued in the quote asset (PnL); what the venue took is kept apart
/// (balances).
@Suite(.serialized, .fakeBinance) struct BinanceFeeTests {
    @Test func aBuyPayingInTheBaseAssetIsValuedAtTheFillPrice() async throws {
        let server = try currentServer()
        try await server.setFeeAsset("BASE")
        let adapter = try binanceAdapter(server)
        try await server.setPrice("BTCUSDT", "65000")
        let buy = try await adapter.submit(approved(uniqueOrderId("base-buy"), .buy, "0.5"))
        #expect(buy[1].fill == FillFacts(quantity: qty("0.5"), price: px("65000"), fee: money("32.5"), liquidity: .taker))
        #expect(buy[1].charged == FeeCharge(amount: money("0.0005"), asset: "BTC"))

        let sell = try await adapter.submit(approved(uniqueOrderId("base-sell"), .sell, "0.5"))
        #expect(sell[1].fill?.fee == money("32.5"))
        #expect(sell[1].charged == nil)
        try await server.setFeeAsset(nil)
    }

    @Test func aFeePaidInBNBIsValuedAtTheVenuesBNBPriceReadOnceForAWhile() async throws {
        let server = try currentServer()
        try await server.setFeeAsset("BNB", prices: ["BNBUSDT": "650"])
        let adapter = try binanceAdapter(server)
        try await server.setPrice("BTCUSDT", "65000")
        let before = try await server.state().count("GET", "/api/v3/ticker/price")
        let first = try await adapter.submit(approved(uniqueOrderId("bnb-1"), .buy, "0.5"))
        #expect(first[1].fill?.fee == money("32.5"))
        #expect(first[1].charged == FeeCharge(amount: money("0.05"), asset: "BNB"))
        let second = try await adapter.submit(approved(uniqueOrderId("bnb-2"), .sell, "0.2"))
        #expect(second[1].fill?.fee == money("13"))
        #expect(second[1].charged == FeeCharge(amount: money("0.02"), asset: "BNB"))
        #expect(try await server.state().count("GET", "/api/v3/ticker/price") == before + 1)

        let trades = try await adapter.trades(instrument: btcusdt, sinceNs: 0).suffix(2)
        #expect(trades.map(\.feeAsset) == ["BNB", "BNB"])
        #expect(trades.map(\.fee) == [money("0.05"), money("0.02")])
        #expect(trades.map(\.quoteFee) == [money("32.5"), money("13")])
        try await server.setFeeAsset(nil)
    }

    @Test func withoutAPriceTheChargeIsKeptAndThePnLFeeIsZero() async throws {
        let server = try currentServer()
        try await server.setFeeAsset("BNB", prices: ["BNBUSDT": "650"])
        try await server.fail(count: 1, status: 400, code: -1121, message: "Invalid symbol.", path: "/api/v3/ticker/price")
        let adapter = try binanceAdapter(server)
        try await server.setPrice("BTCUSDT", "65000")
        let events = try await adapter.submit(approved(uniqueOrderId("bnb-none"), .buy, "0.5"))
        #expect(events.map(\.name) == ["accepted", "filled"])
        #expect(events[1].fill?.fee == .zero)
        #expect(events[1].charged == FeeCharge(amount: money("0.05"), asset: "BNB"))
        try await server.setFeeAsset(nil)
    }
}
