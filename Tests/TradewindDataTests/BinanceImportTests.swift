import Testing
import TradewindCore
@testable import TradewindData

@Suite struct BinanceImportTests {
    typealias S = ImportSamples

    @Test func spotTradesWithoutHeaderBecomeTradesWithTheSellerAsAggressorWhenTheBuyerMade() throws {
        var parser = BinanceTradesParser(instrument: S.btc)
        let events = try S.parse(S.spotTrades, with: &parser)
        #expect(events == [
            S.trade("42283.58", "0.001", .sell, "3370000000", 1_704_067_200_000_000_000),
            S.trade("42283.59", "0.015", .buy, "3370000001", 1_704_067_200_001_000_000),
            S.trade("42283.6", "0.25", .buy, "3370000002", 1_704_067_200_001_000_000),
        ])
    }

    @Test func timesFrom2025AreMicrosecondsAndEarlierOnesMilliseconds() throws {
        var parser = BinanceTradesParser(instrument: S.btc)
        let events = try S.parse(S.spotTrades2025, with: &parser)
        #expect(events.map(\.timeNs) == [1_735_689_600_000_123_000, 1_735_689_600_000_999_000])
        #expect(try BinanceTimestamp.nanoseconds(1_704_067_200_000, column: "time") == 1_704_067_200_000_000_000)
        #expect(throws: ImportLineError("time 1704067200 is neither milliseconds nor microseconds since the epoch")) {
            try BinanceTimestamp.nanoseconds(1_704_067_200, column: "time")
        }
    }

    @Test func futuresTradesSkipTheirHeaderAndHaveNoBestMatchColumn() throws {
        var parser = BinanceTradesParser(instrument: S.btc)
        let events = try S.parse(S.futuresTrades, with: &parser)
        #expect(events == [
            S.trade("42300.1", "0.005", .buy, "5200000000", 1_704_067_200_005_000_000),
            S.trade("42300", "0.12", .sell, "5200000001", 1_704_067_200_009_000_000),
        ])
    }

    @Test func aggTradesAreTradesNumberedByTheAggregateId() throws {
        var parser = BinanceAggTradesParser(instrument: S.btc)
        let events = try S.parse(S.spotAggTrades, with: &parser)
        #expect(events == [
            S.trade("42283.58", "0.001", .sell, "2800000000", 1_704_067_200_000_000_000),
            S.trade("42283.59", "0.265", .buy, "2800000001", 1_704_067_200_001_000_000),
        ])
    }

    @Test func bookTickerRowsAreQuotesAtTheirTransactionTime() throws {
        var parser = BinanceBookTickerParser(instrument: S.btc)
        let events = try S.parse(S.bookTicker, with: &parser)
        #expect(events == [
            .quote(Quote(instrument: S.btc, bid: Price("42283.5")!, bidSize: Quantity("1.234")!, ask: Price("42283.6")!, askSize: Quantity("0.5")!, timeNs: 1_704_067_200_001_000_000,
                         exchangeTimeNs: 1_704_067_200_001_000_000)),
            .quote(Quote(instrument: S.btc, bid: Price("42283.5")!, bidSize: Quantity("1")!, ask: Price("42283.6")!, askSize: Quantity("0.75")!, timeNs: 1_704_067_200_002_000_000,
                         exchangeTimeNs: 1_704_067_200_002_000_000)),
        ])
    }

    @Test(arguments: [
        ("3370000000,42283.5x,0.001,42.28,1704067200000,True,True", "price: invalid decimal \"42283.5x\": unexpected character at position 7"),
        ("3370000000,42283.5,0.001,42.28,1704067200000,True", nil),
        ("3370000000,42283.5,0.001,42.28,1704067200000", "expected 6 or 7 comma-separated fields (trade id, price, qty, quoteQty, time, isBuyerMaker[, isBestMatch]), found 5"),
        ("3370000000,42283.5,0.001,42.28,1704067200000,yes,True", "isBuyerMaker \"yes\" is not true or false"),
        ("3370000000,42283.5,0.000000001,42.28,1704067200000,True,True", "qty: decimal \"0.000000001\" has more than 8 fractional digits"),
        ("x1,42283.5,0.001,42.28,1704067200000,True,True", "trade id \"x1\" is not an integer"),
        ("1,42283.5,0.001,4x,1704067200000,True,True", "quoteQty \"4x\" is not a decimal number"),
    ] as [(String, String?)])
    func aMalformedTradeLineNamesTheColumnAndTheText(line: String, expected: String?) throws {
        var parser = BinanceTradesParser(instrument: S.btc)
        // line 2: only the first line may be a header
        if let expected {
            #expect(throws: ImportLineError(expected)) { try parser.parse(Substring(line), number: 2) }
        } else {
            #expect(try parser.parse(Substring(line), number: 2) != nil)
        }
    }

    @Test func theSymbolComesFromTheFileNameAndAMismatchedKindIsRefused() throws {
        let naming = ImportInstrumentNaming.symbol(venue: nil)
        #expect(try naming.instrument(ofBinanceFile: "/data/BTCUSDT-trades-2024-01-01.zip", format: .binanceTrades) == S.btc)
        #expect(try ImportInstrumentNaming.symbol(venue: "BINANCE_SPOT").instrument(ofBinanceFile: "ethusdt-aggTrades-2024-01.csv", format: .binanceAggTrades)
            == InstrumentId(parsing: "BINANCE_SPOT:ETHUSDT"))
        #expect(throws: ImportError.badFile(file: "BTCUSDT-aggTrades-2024-01-01.csv", reason: "the name says aggTrades, the format is binance-trades (trades)")) {
            try naming.instrument(ofBinanceFile: "BTCUSDT-aggTrades-2024-01-01.csv", format: .binanceTrades)
        }
        #expect(throws: ImportError.self) { try naming.instrument(ofBinanceFile: "trades.csv", format: .binanceTrades) }
        #expect(try ImportInstrumentNaming.fixed(S.btc).instrument(ofBinanceFile: "trades.csv", format: .binanceTrades) == S.btc)
    }
}
