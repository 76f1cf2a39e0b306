import TradewindCore

/// The columns of a Tardis file, found by name in its header.
struct TardisHeader {
    enum Kind {
        case trades(id: Int, side: Int, price: Int, amount: Int)
        case quotes(askAmount: Int, askPrice: Int, bidPrice: Int, bidAmount: Int)
        case book(isSnapshot: Int, side: Int, price: Int, amount: Int)
    }

    let kind: Kind
    let count: Int
    let exchange: Int
    let symbol: Int
    let timestamp: Int
    let localTimestamp: Int

    init(_ row: CSVRow) throws(ImportLineError) {
        var columns: [String: Int] = [:]
        for (index, name) in row.fields.enumerated() { columns[String(name)] = index }
        func column(_ name: String) throws(ImportLineError) -> Int {
            guard let index = columns[name] else {
                throw ImportLineError("the Tardis header lacks the column \(name) (found: \(row.fields.joined(separator: ",")))")
            }
            return index
        }
        if columns["is_snapshot"] != nil {
            kind = .book(isSnapshot: try column("is_snapshot"), side: try column("side"), price: try column("price"), amount: try column("amount"))
        } else if columns["ask_price"] != nil {
            kind = .quotes(askAmount: try column("ask_amount"), askPrice: try column("ask_price"), bidPrice: try column("bid_price"), bidAmount: try column("bid_amount"))
        } else if columns["id"] != nil {
            kind = .trades(id: try column("id"), side: try column("side"), price: try column("price"), amount: try column("amount"))
        } else {
            throw ImportLineError("not a Tardis trades, quotes or incremental_book_L2 header: \(CSVRow.clip(Substring(row.fields.joined(separator: ","))))")
        }
        count = row.count
        exchange = try column("exchange")
        symbol = try column("symbol")
        timestamp = try column("timestamp")
        localTimestamp = try column("local_timestamp")
    }
}
