import TradewindCore

/// Tardis.dev normalized CSV (`trades`, `quotes`, `incremental_book_L2`): the header names the
/// columns and so the data type; times are µs since the epoch; book rows become book updates
/// through `TardisBookAssembler`.
struct TardisParser: ImportLineParser {
    private var header: TardisHeader?
    private var resolver: TardisInstrumentResolver
    private var book = TardisBookAssembler()
    private let time: TardisTime
    private var unknownSides: Int64 = 0

    init(naming: ImportInstrumentNaming, time: TardisTime) {
        resolver = TardisInstrumentResolver(naming: naming)
        self.time = time
    }

    var notes: [String: Int64] { unknownSides > 0 ? ["trades_with_unknown_side": unknownSides] : [:] }

    mutating func parse(_ line: Substring, number: Int) throws(ImportLineError) -> ImportedEvent? {
        guard let header else {
            self.header = try TardisHeader(CSVRow(line))
            return nil
        }
        let row = CSVRow(line)
        guard row.count == header.count else {
            throw ImportLineError("expected \(header.count) comma-separated fields as the header has, found \(row.count)")
        }
        let instrument = try resolver.instrument(exchange: row.text(header.exchange), symbol: row.text(header.symbol))
        let exchangeUs = try Self.microseconds(row, header.timestamp, "timestamp")
        let localUs = try Self.microseconds(row, header.localTimestamp, "local_timestamp")
        let timeNs = (time == .exchange ? exchangeUs : localUs) * 1_000
        switch header.kind {
        case .trades(let id, let side, let price, let amount):
            let tradeId = row.text(id)
            guard let parsed = Int64(tradeId), String(parsed) == tradeId else {
                throw ImportLineError("trade id \"\(CSVRow.clip(tradeId))\" is not a decimal integer (datasets store trade ids as Int64)")
            }
            let aggressor: Side
            switch row.text(side) {
            case "buy": aggressor = .buy
            case "sell": aggressor = .sell
            case "unknown":
                aggressor = .buy
                unknownSides += 1
            default: throw ImportLineError("side \"\(CSVRow.clip(row.text(side)))\" is not buy, sell or unknown")
            }
            let trade = Trade(
                instrument: instrument, price: try row.price(price, "price"), size: try row.quantity(amount, "amount"),
                aggressor: aggressor, tradeId: String(tradeId), timeNs: timeNs, exchangeTimeNs: exchangeUs * 1_000)
            return ImportedEvent(event: .trade(trade), line: number)
        case .quotes(let askAmount, let askPrice, let bidPrice, let bidAmount):
            // an empty side (no level on it) is stored as price and size 0, which validation reports
            let quote = Quote(
                instrument: instrument,
                bid: row.text(bidPrice).isEmpty ? .zero : try row.price(bidPrice, "bid_price"),
                bidSize: row.text(bidAmount).isEmpty ? .zero : try row.quantity(bidAmount, "bid_amount"),
                ask: row.text(askPrice).isEmpty ? .zero : try row.price(askPrice, "ask_price"),
                askSize: row.text(askAmount).isEmpty ? .zero : try row.quantity(askAmount, "ask_amount"), timeNs: timeNs,
                exchangeTimeNs: exchangeUs * 1_000)
            return ImportedEvent(event: .quote(quote), line: number)
        case .book(let isSnapshot, let side, let price, let amount):
            let isBid: Bool
            switch row.text(side) {
            case "bid": isBid = true
            case "ask": isBid = false
            default: throw ImportLineError("side \"\(CSVRow.clip(row.text(side)))\" is not bid or ask")
            }
            let level = TardisBookAssembler.Row(
                instrument: instrument, exchangeUs: exchangeUs, localUs: localUs, timeNs: timeNs,
                snapshot: try row.bool(isSnapshot, "is_snapshot"), isBid: isBid,
                level: BookLevel(price: try row.price(price, "price"), size: try row.quantity(amount, "amount")), line: number)
            return book.add(level)
        }
    }

    mutating func finish() -> ImportedEvent? {
        book.finish()
    }

    private static func microseconds(_ row: CSVRow, _ index: Int, _ column: String) throws(ImportLineError) -> Int64 {
        let value = try row.integer(index, column)
        guard value >= 0, value <= Int64.max / 1_000 else { throw ImportLineError("\(column) \(value) is not µs since the epoch") }
        return value
    }
}
