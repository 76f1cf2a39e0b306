import Foundation
import Testing
import TradewindCore

@Suite struct InstrumentTests {
    @Test func parsesVenueAndSymbol() throws {
        let id = try InstrumentId(parsing: "BINANCE:BTC-USDT_1")
        #expect(id.venue == "BINANCE")
        #expect(id.symbol == "BTC-USDT_1")
        #expect(id.description == "BINANCE:BTC-USDT_1")
    }

    @Test(arguments: [
        ("SIMBTCUSDT", InstrumentIdError.missingSeparator("SIMBTCUSDT")),
        ("SIM:BTC:USDT", .missingSeparator("SIM:BTC:USDT")),
        (":BTCUSDT", .invalidVenue("")),
        ("SIM:", .invalidSymbol("")),
        ("SIM:btcusdt", .invalidSymbol("btcusdt")),
        ("S M:BTC", .invalidVenue("S M")),
        ("SIM:BTC/USDT", .invalidSymbol("BTC/USDT")),
    ])
    func rejectsMalformedIds(text: String, error: InstrumentIdError) {
        #expect(throws: error) { try InstrumentId(parsing: text) }
        #expect(InstrumentId(text) == nil)
    }

    @Test func ordersAndEncodesAsText() throws {
        #expect(TestInstruments.btcId < TestInstruments.ethId)
        let encoded = try JSONEncoder().encode([TestInstruments.btcId: qty("1.5")])
        #expect(String(decoding: encoded, as: UTF8.self) == "{\"SIM:BTCUSDT\":\"1.5\"}")
        let decoded = try JSONDecoder().decode([InstrumentId: Quantity].self, from: encoded)
        #expect(decoded == [TestInstruments.btcId: qty("1.5")])
    }

    @Test func validatesTradingRules() throws {
        try TestInstruments.btc.validate()
        var broken = TestInstruments.btc
        broken.tickSize = .zero
        #expect(throws: InstrumentError.invalidTickSize(TestInstruments.btcId, .zero)) { try broken.validate() }
        broken = TestInstruments.btc
        broken.minQuantity = qty("0.0015")
        #expect(throws: InstrumentError.self) { try broken.validate() }
        #expect(TestInstruments.btc.isValidPrice(px("100.01")))
        #expect(!TestInstruments.btc.isValidPrice(px("100.005")))
        #expect(TestInstruments.eth.isValidQuantity(qty("0.01")))
        #expect(!TestInstruments.eth.isValidQuantity(qty("0.009")))
    }
}
