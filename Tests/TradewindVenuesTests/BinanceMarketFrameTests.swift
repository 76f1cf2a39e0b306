import Testing
import TradewindCore
@testable import TradewindVenues

@Suite struct BinanceMarketFrameTests {
    let btc = try! InstrumentId(venue: "BINANCE", symbol: "BTCUSDT")
    let eth = try! InstrumentId(venue: "BINANCE", symbol: "ETHUSDT")
    var decoder: BinanceMarketDecoder { BinanceMarketDecoder(instruments: [btc, eth]) }

    func decode(_ text: String, at time: Int64 = 42) throws(BinanceFrameError) -> BinanceMarketFrame {
        try decoder.decode(Array(text.utf8), receivedNs: time)
    }

    @Test func subscribesToQuotesTradesAndDiffDepthPerInstrument() {
        #expect(decoder.streamNames == [
            "btcusdt@bookTicker", "btcusdt@trade", "btcusdt@depth@100ms",
            "ethusdt@bookTicker", "ethusdt@trade", "ethusdt@depth@100ms",
        ])
    }

    @Test func decodesABookTickerExactlyAtTheReceiveTime() throws {
        let frame = try decode(
            #"{"stream":"btcusdt@bookTicker","data":{"u":400900217,"s":"BTCUSDT","b":"65000.01000000","B":"1.23456789","a":"65000.02000000","A":"0.00000001"}}"#,
            at: 1_700_000_000_123_000_000)
        let expected = Quote(
            instrument: btc, bid: Price("65000.01")!, bidSize: Quantity("1.23456789")!, ask: Price("65000.02")!,
            askSize: Quantity("0.00000001")!, timeNs: 1_700_000_000_123_000_000)
        #expect(frame == .quote(expected, updateId: 400_900_217))
    }

    @Test func decodesATradeWithTheAggressorFromTheMakerFlag() throws {
        let frame = try decode(
            #"{"stream":"ethusdt@trade","data":{"e":"trade","E":1700000000200,"s":"ETHUSDT","t":12345,"p":"3500.10","q":"0.5","T":1700000000199,"m":true,"M":true}}"#)
        #expect(frame == .trade(
            Trade(instrument: eth, price: Price("3500.1")!, size: Quantity("0.5")!, aggressor: .sell, tradeId: "12345", timeNs: 42,
                  exchangeTimeNs: 1_700_000_000_199_000_000)))
    }

    @Test func decodesADiffDepthWithItsUpdateRangeAndRemovals() throws {
        let frame = try decode(
            #"{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000000300,"s":"BTCUSDT","U":157,"u":160,"b":[["65000.00","0.00000000"],["64999.99","2.5"]],"a":[["65000.03","1"]]}}"#)
        let diff = DepthDiff(
            firstUpdateId: 157, finalUpdateId: 160,
            bids: [BookLevel(price: Price("65000")!, size: .zero), BookLevel(price: Price("64999.99")!, size: Quantity("2.5")!)],
            asks: [BookLevel(price: Price("65000.03")!, size: Quantity("1")!)], timeNs: 42,
            exchangeTimeNs: 1_700_000_000_300_000_000)
        #expect(frame == .depth(btc, diff))
    }

    @Test func decodesServerShutdownRepliesAndErrors() throws {
        #expect(try decode(#"{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1700000000000}}"#)
            == .serverShutdown(eventTimeNs: 1_700_000_000_000_000_000))
        #expect(try decode(#"{"result":null,"id":7}"#) == .reply(id: 7))
        #expect(try decode(#"{"error":{"code":2,"msg":"Invalid request"},"id":8}"#) == .error(code: 2, message: "Invalid request"))
    }

    @Test(arguments: [
        (#"{"stream":"btcusdt@trade","data":"#, "malformed_json"),
        ("not json", "malformed_json"),
        (#"{"stream":"xrpusdt@trade","data":{"e":"trade","E":1,"s":"XRPUSDT","t":1,"p":"1","q":"1","T":1,"m":false}}"#, "unknown_stream"),
        (#"{"stream":"btcusdt@kline_1m","data":{"e":"kline","E":1}}"#, "unknown_stream"),
        (#"{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"abc","q":"1","T":1,"m":false}}"#, "bad_number"),
        (#"{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"1.123456789","q":"1","T":1,"m":false}}"#, "bad_number"),
        (#"{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[["1","-2"]],"a":[]}}"#, "bad_number"),
        (#"{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":2,"b":[],"a":[]}}"#, "bad_field"),
        (#"{"stream":"btcusdt@trade","data":{"e":"trade","E":"soon","s":"BTCUSDT","t":1,"p":"1","q":"1","T":1,"m":false}}"#, "bad_field"),
        (#"{"stream":"btcusdt@bookTicker","data":{"u":1,"s":"BTCUSDT","b":"1"}}"#, "bad_field"),
    ])
    func refusesWhatDoesNotParseWithItsKind(text: String, kind: String) {
        #expect(throws: BinanceFrameError.self) { try decode(text) }
        do {
            _ = try decode(text)
        } catch {
            #expect(error.kind == kind, "\(error)")
        }
    }

    @Test func decodesARestSnapshot() throws {
        let snapshot = try decoder.decodeSnapshot(
            Array(#"{"lastUpdateId":1027024,"bids":[["4.00000000","431.00000000"]],"asks":[["4.00000200","12.00000000"]]}"#.utf8),
            receivedNs: 7)
        #expect(snapshot == DepthSnapshot(
            lastUpdateId: 1_027_024, bids: [BookLevel(price: Price("4")!, size: Quantity("431")!)],
            asks: [BookLevel(price: Price("4.000002")!, size: Quantity("12")!)], timeNs: 7))
    }

    @Test func acceptsAnyKeyOrderWhitespaceEscapesAndUnknownFields() throws {
        let frame = try decode("""
            { "data" : { "M" : true, "extra": {"nested": [1, 2.5e3, null, "x\\"y"]}, "m" : false, "T" : 7,
              "q" : "0.5", "p" : "3500.10", "t" : 9, "s" : "ETH\\u0055SDT", "E" : 8, "e" : "trade" },
              "stream" : "ethusdt@trade" }
            """)
        #expect(frame == .trade(
            Trade(instrument: eth, price: Price("3500.1")!, size: Quantity("0.5")!, aggressor: .buy, tradeId: "9", timeNs: 42,
                  exchangeTimeNs: 7_000_000)))
    }

    @Test(arguments: [
        #"{"result":null,"id":1} x"#,
        #"{"stream":"btcusdt@trade" "data":{}}"#,
        #"{"stream":"btcusdt@trade","data":{"p":"1\#u{01}"}}"#,
        #"{"stream":"btcusdt@trade","data":{"s":"BTCUSDT","t":01a}}"#,
        #"["stream"]"#,
        "",
    ])
    func refusesWhatIsNotJSONAsMalformed(text: String) {
        do {
            _ = try decode(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.kind == "malformed_json" || error.kind == "bad_field", "\(error)")
        }
    }

    @Test func refusesASnapshotWithoutItsFieldsOrWithBadLevels() {
        for text in [#"{"lastUpdateId":1,"bids":[]}"#, #"{"lastUpdateId":1,"bids":[["1"]],"asks":[]}"#, #"{"lastUpdateId":-1,"bids":[],"asks":[]}"#, "[]"] {
            #expect(throws: BinanceFrameError.self, "\(text)") { try decoder.decodeSnapshot(Array(text.utf8), receivedNs: 1) }
        }
    }
}
