import Testing
import TradewindCore
@testable import TradewindData

@Suite struct TardisImportTests {
    typealias S = ImportSamples

    static func parser(_ naming: ImportInstrumentNaming = .symbol(venue: nil), time: TardisTime = .exchange) -> TardisParser {
        TardisParser(naming: naming, time: time)
    }

    @Test func tradesTakeTheExchangeTimestampAndTheVenueFromTheExchangeColumn() throws {
        var parser = Self.parser()
        #expect(try S.parse(S.tardisTrades, with: &parser) == [
            S.trade("42283.58", "0.001", .sell, "3370000000", 1_704_067_200_000_123_000),
            S.trade("42283.59", "0.015", .buy, "3370000001", 1_704_067_200_000_900_000),
        ])
        var local = Self.parser(time: .local)
        let arrivals = try S.parse(S.tardisTrades, with: &local)
        #expect(arrivals.map(\.timeNs) == [1_704_067_200_001_456_000, 1_704_067_200_002_000_000])
        // the exchange's timestamp stays beside the arrival time
        #expect(arrivals.map(\.exchangeTimeNs) == [1_704_067_200_000_123_000, 1_704_067_200_000_900_000])
    }

    @Test func quotesReadTheirColumnsByName() throws {
        var parser = Self.parser()
        #expect(try S.parse(S.tardisQuotes, with: &parser) == [
            .quote(Quote(instrument: S.btc, bid: Price("42283.5")!, bidSize: Quantity("1.234")!, ask: Price("42283.6")!, askSize: Quantity("0.5")!, timeNs: 1_704_067_200_000_500_000,
                         exchangeTimeNs: 1_704_067_200_000_500_000)),
        ])
        let oneSided = "exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount\nbinance,BTCUSDT,1704067200000500,1704067200001600,,,42283.50,1.234\n"
        var second = Self.parser()
        guard case .quote(let quote)? = try S.parse(oneSided, with: &second).first else { Issue.record("no quote"); return }
        #expect(quote.ask == .zero && quote.askSize == .zero && quote.bid == Price("42283.5")!)
    }

    @Test func bookRowsOfOneMessageFormOneUpdateAndConsecutiveSnapshotRowsOneSnapshot() throws {
        var parser = Self.parser()
        let events = try S.parse(S.tardisBook, with: &parser)
        #expect(events == [
            S.book(
                true, bids: [S.level("42283.5", "1.234"), S.level("42283.4", "2")],
                asks: [S.level("42283.6", "0.5"), S.level("42283.7", "1.5")], 1_704_067_200_000_000_000),
            S.book(
                false, bids: [S.level("42283.5", "0"), S.level("42283.45", "0.7")],
                asks: [S.level("42283.6", "0.25")], 1_704_067_200_100_000_000),
        ])
    }

    @Test func aSnapshotSpanningTimestampsIsOneUpdateAtItsLastRowsTimeAndALaterRowForAPriceWins() throws {
        let text = """
            exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount
            binance,BTCUSDT,1000,1001,true,bid,10,1
            binance,BTCUSDT,2000,2001,true,ask,11,1
            binance,BTCUSDT,3000,3001,false,bid,10,4
            binance,BTCUSDT,3000,3001,false,bid,10,5
            binance,BTCUSDT,3000,3002,false,ask,11,0
            binance,BTCUSDT,4000,4001,true,bid,9,1

            """
        var parser = Self.parser()
        let events = try S.parse(text, with: &parser)
        #expect(events == [
            S.book(true, bids: [S.level("10", "1")], asks: [S.level("11", "1")], 2_000_000),
            S.book(false, bids: [S.level("10", "5")], asks: [], 3_000_000),
            S.book(false, bids: [], asks: [S.level("11", "0")], 3_000_000),
            S.book(true, bids: [S.level("9", "1")], asks: [], 4_000_000),
        ])
    }

    @Test func rowsOfTwoSymbolsGetTwoInstrumentsUnlessOneIsFixed() throws {
        let text = """
            exchange,symbol,timestamp,local_timestamp,id,side,price,amount
            binance-futures,BTCUSDT,1000,1001,1,buy,10,1
            binance-futures,ETHUSDT,1000,1001,2,unknown,1,1

            """
        var parser = Self.parser()
        let events = try S.parse(text, with: &parser)
        #expect(events.map(\.instrument.description) == ["BINANCE-FUTURES:BTCUSDT", "BINANCE-FUTURES:ETHUSDT"])
        #expect(parser.notes == ["trades_with_unknown_side": 1])
        var fixed = Self.parser(.fixed(S.btc))
        #expect(throws: ImportLineError("symbol ETHUSDT differs from BTCUSDT before it; --instrument names a single instrument")) {
            try S.parse(text, with: &fixed)
        }
    }

    @Test(arguments: [
        ("exchange,symbol,timestamp,price\n", "not a Tardis trades, quotes or incremental_book_L2 header: exchange,symbol,timestamp,price"),
        ("exchange,symbol,timestamp,local_timestamp,id,side,price,amount\nbinance,BTCUSDT,1,2,3,buy,10\n", "expected 8 comma-separated fields as the header has, found 7"),
        ("exchange,symbol,timestamp,local_timestamp,id,side,price,amount\nbinance,BTCUSDT,1,2,abc,buy,10,1\n", "trade id \"abc\" is not a decimal integer (datasets store trade ids as Int64)"),
        ("exchange,symbol,timestamp,local_timestamp,id,side,price,amount\nbinance,BTCUSDT,1,2,3,long,10,1\n", "side \"long\" is not buy, sell or unknown"),
        ("exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount\nbinance,BTCUSDT,1,2,maybe,bid,10,1\n", "is_snapshot \"maybe\" is not true or false"),
        ("exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount\nbinance,BTCUSDT,-1,2,true,bid,10,1\n", "timestamp -1 is not µs since the epoch"),
        ("exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount\nbinance,btc/usdt,1,2,true,bid,10,1\n", "instrument symbol \"BTC/USDT\" must be 1-64 characters of [A-Z0-9_-]; give --instrument VENUE:SYMBOL"),
    ])
    func aMalformedLineSaysWhatIsWrong(text: String, expected: String) throws {
        var parser = Self.parser()
        #expect(throws: ImportLineError(expected)) { try S.parse(text, with: &parser) }
    }
}
