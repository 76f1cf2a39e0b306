import TradewindCore

/// Binance public data `bookTicker` files (published for USD-M and COIN-M futures, with a header):
/// `update_id, best_bid_price, best_bid_qty, best_ask_price, best_ask_qty, transaction_time,
/// event_time`. Each row becomes a quote at its transaction time (the matching engine's), which is
/// also its exchange time.
struct BinanceBookTickerParser: ImportLineParser {
    let instrument: InstrumentId

    mutating func parse(_ line: Substring, number: Int) throws(ImportLineError) -> ImportedEvent? {
        let row = CSVRow(line)
        if row.isBinanceHeader(line: number) { return nil }
        try row.expect([7], of: "update_id, best_bid_price, best_bid_qty, best_ask_price, best_ask_qty, transaction_time, event_time")
        _ = try row.integer(0, "update_id")
        let bid = try row.price(1, "best_bid_price")
        let bidSize = try row.quantity(2, "best_bid_qty")
        let ask = try row.price(3, "best_ask_price")
        let askSize = try row.quantity(4, "best_ask_qty")
        let timeNs = try BinanceTimestamp.nanoseconds(try row.integer(5, "transaction_time"), column: "transaction_time")
        _ = try BinanceTimestamp.nanoseconds(try row.integer(6, "event_time"), column: "event_time")
        let quote = Quote(instrument: instrument, bid: bid, bidSize: bidSize, ask: ask, askSize: askSize, timeNs: timeNs, exchangeTimeNs: timeNs)
        return ImportedEvent(event: .quote(quote), line: number)
    }
}
