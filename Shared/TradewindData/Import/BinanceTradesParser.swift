import TradewindCore

/// Binance public data `trades` files: `trade id, price, qty, quoteQty, time, isBuyerMaker,
/// isBestMatch` (spot, no header) or without `isBestMatch` (futures, with a header since 2022).
/// `isBuyerMaker` true means the seller took liquidity: the aggressor sold.
struct BinanceTradesParser: ImportLineParser {
    let instrument: InstrumentId

    mutating func parse(_ line: Substring, number: Int) throws(ImportLineError) -> ImportedEvent? {
        let row = CSVRow(line)
        if row.isBinanceHeader(line: number) { return nil }
        try row.expect([6, 7], of: "trade id, price, qty, quoteQty, time, isBuyerMaker[, isBestMatch]")
        let id = try row.integer(0, "trade id")
        let price = try row.price(1, "price")
        let size = try row.quantity(2, "qty")
        try row.checkDecimal(3, "quoteQty")
        let timeNs = try BinanceTimestamp.nanoseconds(try row.integer(4, "time"), column: "time")
        let buyerIsMaker = try row.bool(5, "isBuyerMaker")
        if row.count == 7 { _ = try row.bool(6, "isBestMatch") }
        let trade = Trade(
            instrument: instrument, price: price, size: size, aggressor: buyerIsMaker ? .sell : .buy,
            tradeId: String(id), timeNs: timeNs, exchangeTimeNs: timeNs)
        return ImportedEvent(event: .trade(trade), line: number)
    }
}
