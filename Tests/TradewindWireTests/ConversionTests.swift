import Testing
import TradewindCore
import TradewindWire

/// Core values survive a trip through their wire messages exactly, and a bad wire message is
/// refused with an error naming the field.
@Suite struct ConversionTests {
    static let btc = InstrumentId("SIM:BTCUSDT")!
    static func px(_ text: String) -> Price { Price(text)! }
    static func qty(_ text: String) -> Quantity { Quantity(text)! }

    @Test func quoteRoundTrips() throws {
        let quote = Quote(instrument: Self.btc, bid: Self.px("64999.99"), bidSize: Self.qty("0.5"),
                          ask: Self.px("65000.01"), askSize: Self.qty("0.00000001"), timeNs: 42)
        #expect(try Quote(wire: Tradewind_V1_Quote(quote), timeNs: 42) == quote)
    }

    @Test func tradeBookAndBarRoundTrip() throws {
        let trade = Trade(instrument: Self.btc, price: Self.px("65000"), size: Self.qty("0.25"), aggressor: .sell, tradeId: "t-1", timeNs: 7)
        #expect(try Trade(wire: Tradewind_V1_Trade(trade), timeNs: 7) == trade)
        let book = BookUpdate(instrument: Self.btc, snapshot: true,
                              bids: [BookLevel(price: Self.px("1"), size: Self.qty("2"))],
                              asks: [BookLevel(price: Self.px("3"), size: .zero)], timeNs: 9)
        #expect(try BookUpdate(wire: Tradewind_V1_BookUpdate(book), timeNs: 9) == book)
        let bar = Bar(instrument: Self.btc, startTimeNs: 60_000_000_000, intervalSeconds: 60, open: Self.px("1"),
                      high: Self.px("3"), low: Self.px("0.5"), close: Self.px("2"), volume: Self.qty("10.125"), tradeCount: 4)
        #expect(try Bar(wire: Tradewind_V1_Bar(bar)) == bar)
    }

    @Test(arguments: [nil, Int64(1_700_000_000_199_000_000)])
    func exchangeTimesRideAlongAndZeroMeansNone(exchangeTimeNs: Int64?) throws {
        let quote = Quote(instrument: Self.btc, bid: Self.px("1"), bidSize: Self.qty("1"), ask: Self.px("2"), askSize: Self.qty("1"),
                          timeNs: 5, exchangeTimeNs: exchangeTimeNs)
        let trade = Trade(instrument: Self.btc, price: Self.px("1"), size: Self.qty("1"), aggressor: .buy, tradeId: "1", timeNs: 5,
                          exchangeTimeNs: exchangeTimeNs)
        let book = BookUpdate(instrument: Self.btc, snapshot: false, bids: [], asks: [], timeNs: 5, exchangeTimeNs: exchangeTimeNs)
        #expect(Tradewind_V1_Trade(trade).exchangeTimeNs == exchangeTimeNs ?? 0)
        #expect(try Quote(wire: Tradewind_V1_Quote(quote), timeNs: 5) == quote)
        #expect(try Trade(wire: Tradewind_V1_Trade(trade), timeNs: 5) == trade)
        #expect(try BookUpdate(wire: Tradewind_V1_BookUpdate(book), timeNs: 5) == book)
    }

    @Test(arguments: [nil, "64000.5"])
    func intentAndApprovedOrderRoundTrip(limit: String?) throws {
        let intent = OrderIntent(
            intentId: "ema-1", strategy: "ema", instrument: Self.btc, side: .buy,
            orderType: limit == nil ? .market : .limit, timeInForce: limit == nil ? .ioc : .gtc,
            quantity: Self.qty("0.01"), limitPrice: limit.map(Self.px), timeNs: 11)
        #expect(try OrderIntent(wire: Tradewind_V1_OrderIntent(intent), timeNs: 11) == intent)
        let approved = ApprovedOrder(intent: intent, timeNs: 11)
        #expect(try ApprovedOrder(wire: Tradewind_V1_ApprovedOrder(approved), timeNs: 11) == approved)
    }

    @Test func executionReportRoundTrips() throws {
        let report = ExecutionReport(
            clientOrderId: "TW-ema-1", venueOrderId: "SIM-1", intentId: "ema-1", strategy: "ema", instrument: Self.btc,
            side: .sell, execType: .partialFill, orderStatus: .partiallyFilled, lastQuantity: Self.qty("0.004"),
            lastPrice: Self.px("65000.5"), cumulativeQuantity: Self.qty("0.004"), leavesQuantity: Self.qty("0.006"),
            averagePrice: Self.px("65000.5"), fee: Money("0.260002")!, feeCurrency: "USDT", liquidity: .taker,
            tradeId: "SIMT-1", eventNumber: 3, timeNs: 13)
        #expect(try ExecutionReport(wire: Tradewind_V1_ExecutionReport(report), timeNs: 13) == report)
        #expect(!Tradewind_V1_ExecutionReport(report).hasCommission)

        var paidInBNB = report
        paidInBNB.commission = FeeCharge(amount: Money("0.00043334")!, asset: "BNB")
        let wire = Tradewind_V1_ExecutionReport(paidInBNB)
        #expect(wire.commissionAsset == "BNB" && wire.hasCommission)
        #expect(try ExecutionReport(wire: wire, timeNs: 13) == paidInBNB)
    }

    @Test func decimalsAtAnotherScaleConvertExactly() throws {
        var wire = Tradewind_V1_Decimal()
        wire.units = 6_425_012_5
        wire.scale = 3
        #expect(try Price(wire: wire) == Self.px("64250.125"))
    }

    @Test func refusesADecimalFinerThanEightPlaces() {
        var wire = Tradewind_V1_Quote(Quote(instrument: Self.btc, bid: Self.px("1"), bidSize: Self.qty("1"),
                                            ask: Self.px("2"), askSize: Self.qty("1"), timeNs: 0))
        wire.bidPrice.units = 1
        wire.bidPrice.scale = 9
        #expect(throws: WireError.self) { try Quote(wire: wire, timeNs: 0) }
        do {
            _ = try Quote(wire: wire, timeNs: 0)
        } catch {
            #expect(error.description.contains("bid_price"))
        }
    }

    @Test func refusesMissingAndUnknownFields() {
        var intent = Tradewind_V1_OrderIntent(OrderIntent(
            intentId: "i", strategy: "s", instrument: Self.btc, side: .buy, orderType: .market, timeInForce: .ioc,
            quantity: Self.qty("1"), limitPrice: nil, timeNs: 0))
        intent.side = .unspecified
        #expect(throws: WireError.missingField(message: "OrderIntent", field: "side")) {
            try OrderIntent(wire: intent, timeNs: 0)
        }
        intent.side = .UNRECOGNIZED(9)
        #expect(throws: WireError.unknownEnumValue(message: "OrderIntent", field: "side", value: 9)) {
            try OrderIntent(wire: intent, timeNs: 0)
        }
        intent.side = .buy
        intent.instrument = "not an instrument"
        #expect(throws: WireError.self) { try OrderIntent(wire: intent, timeNs: 0) }
        intent.instrument = Self.btc.description
        intent.intentID = ""
        #expect(throws: WireError.missingField(message: "OrderIntent", field: "intent_id")) {
            try OrderIntent(wire: intent, timeNs: 0)
        }
    }
}
