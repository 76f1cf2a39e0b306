import Foundation
import TradewindCore
@testable import TradewindData

/// Small files in the exact layouts of Binance public data and Tardis CSV, and helpers that
/// write them into a scratch folder and read an imported dataset back.
enum ImportSamples {
    static let btc = try! InstrumentId(parsing: "BINANCE:BTCUSDT")

    /// Spot `trades`: no header, "True"/"False", times in ms (before 2025).
    static let spotTrades = """
        3370000000,42283.58000000,0.00100000,42.28358000,1704067200000,True,True
        3370000001,42283.59000000,0.01500000,634.25385000,1704067200001,False,True
        3370000002,42283.60000000,0.25000000,10570.90000000,1704067200001,False,True

        """

    /// Spot `trades` from 2025 on: times in µs.
    static let spotTrades2025 = """
        4376000000,93429.99000000,0.00023000,21.48889770,1735689600000123,True,True
        4376000001,93430.00000000,0.10000000,9343.00000000,1735689600000999,False,True

        """

    /// USD-M futures `trades`: a header, no isBestMatch, "true"/"false".
    static let futuresTrades = """
        id,price,qty,quote_qty,time,is_buyer_maker
        5200000000,42300.10,0.005,211.5005,1704067200005,false
        5200000001,42300.00,0.120,5076.00,1704067200009,true

        """

    /// Spot `aggTrades`: no header.
    static let spotAggTrades = """
        2800000000,42283.58000000,0.00100000,3370000000,3370000000,1704067200000,True,True
        2800000001,42283.59000000,0.26500000,3370000001,3370000002,1704067200001,False,True

        """

    /// Futures `bookTicker`: a header, times in ms.
    static let bookTicker = """
        update_id,best_bid_price,best_bid_qty,best_ask_price,best_ask_qty,transaction_time,event_time
        3700000000001,42283.50,1.234,42283.60,0.500,1704067200001,1704067200003
        3700000000002,42283.50,1.000,42283.60,0.750,1704067200002,1704067200004

        """

    static let tardisTrades = """
        exchange,symbol,timestamp,local_timestamp,id,side,price,amount
        binance,BTCUSDT,1704067200000123,1704067200001456,3370000000,sell,42283.58,0.001
        binance,BTCUSDT,1704067200000900,1704067200002000,3370000001,buy,42283.59,0.015

        """

    static let tardisQuotes = """
        exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount
        binance,BTCUSDT,1704067200000500,1704067200001600,0.5,42283.60,42283.50,1.234

        """

    /// A snapshot (two asks, two bids), then a delta removing one bid, adding one and changing an ask.
    static let tardisBook = """
        exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount
        binance,BTCUSDT,1704067200000000,1704067200001000,true,ask,42283.60,0.5
        binance,BTCUSDT,1704067200000000,1704067200001000,true,ask,42283.70,1.5
        binance,BTCUSDT,1704067200000000,1704067200001000,true,bid,42283.50,1.234
        binance,BTCUSDT,1704067200000000,1704067200001000,true,bid,42283.40,2
        binance,BTCUSDT,1704067200100000,1704067200101000,false,bid,42283.50,0
        binance,BTCUSDT,1704067200100000,1704067200101000,false,bid,42283.45,0.7
        binance,BTCUSDT,1704067200100000,1704067200101000,false,ask,42283.60,0.25

        """

    /// Writes `files` (name → text) into a new scratch folder; returns the folder.
    static func folder(_ files: [String: String], name: String = #function) throws -> String {
        let folder = DatasetFixtures.scratch(name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (file, text) in files {
            try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + file))
        }
        return folder
    }

    /// Every line of `text` through `parser`, then its finish.
    static func parse(_ text: String, with parser: inout some ImportLineParser) throws -> [MarketEvent] {
        var events: [MarketEvent] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            if let event = try parser.parse(line, number: offset + 1) { events.append(event.event) }
        }
        if let last = parser.finish() { events.append(last.event) }
        return events
    }

    /// A trade whose exchange time is its stream time, as every importer but Tardis's `--time local` makes.
    static func trade(_ price: String, _ size: String, _ aggressor: Side, _ id: String, _ timeNs: Int64, _ instrument: InstrumentId = btc) -> MarketEvent {
        .trade(Trade(
            instrument: instrument, price: Price(price)!, size: Quantity(size)!, aggressor: aggressor, tradeId: id, timeNs: timeNs,
            exchangeTimeNs: timeNs))
    }

    /// A book update whose exchange time is its stream time.
    static func book(_ snapshot: Bool, bids: [BookLevel], asks: [BookLevel], _ timeNs: Int64) -> MarketEvent {
        .book(BookUpdate(instrument: btc, snapshot: snapshot, bids: bids, asks: asks, timeNs: timeNs, exchangeTimeNs: timeNs))
    }

    static func level(_ price: String, _ size: String) -> BookLevel {
        BookLevel(price: Price(price)!, size: Quantity(size)!)
    }
}
