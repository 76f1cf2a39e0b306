import TradewindCore

/// Binance public data `aggTrades` files: `agg trade id, price, qty, first trade id, last trade
/// id, time, isBuyerMaker, isBestMatch` (spot, no header) or without `isBestMatch` (futures, with
/// a header). Each row becomes one trade whose id is the aggregate trade id.
struct BinanceAggTradesParser: ImportLineParser {
    let instrument: InstrumentId

    mutating func parse(_ line: Substring, number: Int) throws(ImportLineError) -> ImportedEvent? {
        let row = CSVRow(line)
        if row.isBinanceHeader(line: number) { return nil }
        try row.expect([7, 8], of: "agg trade id, price, qty, first trade id, last trade id, time, isBuyerMaker[, isBestMatch]")
        let id = try row.integer(0, "agg trade id")
        let price = try row.price(1, "price")
        let size = try row.quantity(2, "qty")
        let first = try row.integer(3, "first trade id")
        let last = try row.integer(4, "last trade id")
        guard first <= last else { throw ImportLineError("first trade id \(first) is after last trade id \(last)") }
        let timeNs = try BinanceTimestamp.nanoseconds(try row.integer(5, "time"), column: "time")
        let buyerIsMaker = try row.bool(6, "isBuyerMaker")
        if row.count == 8 { _ = try row.bool(7, "isBestMatch") }
        let trade = Trade(
            instrument: instrument, price: price, size: size, aggressor: buyerIsMaker ? .sell : .buy,
            tradeId: String(id), timeNs: timeNs, exchangeTimeNs: timeNs)
        return ImportedEvent(event: .trade(trade), line: number)
    }
}
