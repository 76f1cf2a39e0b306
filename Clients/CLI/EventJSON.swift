import TradewindCore

/// One event as a flat JSON object with exact decimal strings, for `tradewind data inspect --head`.
enum EventJSON {
    static func object(_ event: MarketEvent, timeNs: Int64) -> [String: JSONScalar] {
        var object: [String: JSONScalar] = ["time_ns": .integer(timeNs), "instrument": .string(event.instrument.description)]
        if let exchangeTimeNs = event.exchangeTimeNs { object["exchange_time_ns"] = .integer(exchangeTimeNs) }
        switch event {
        case .quote(let quote):
            object["kind"] = .string("quote")
            object["bid"] = .string(quote.bid.description)
            object["bid_size"] = .string(quote.bidSize.description)
            object["ask"] = .string(quote.ask.description)
            object["ask_size"] = .string(quote.askSize.description)
        case .trade(let trade):
            object["kind"] = .string("trade")
            object["price"] = .string(trade.price.description)
            object["size"] = .string(trade.size.description)
            object["aggressor"] = .string(trade.aggressor.rawValue)
            object["trade_id"] = .string(trade.tradeId)
        case .book(let book):
            object["kind"] = .string("book")
            object["snapshot"] = .bool(book.snapshot)
            object["bids"] = .string(book.bids.map { "\($0.price)@\($0.size)" }.joined(separator: " "))
            object["asks"] = .string(book.asks.map { "\($0.price)@\($0.size)" }.joined(separator: " "))
        case .bar(let bar):
            object["kind"] = .string("bar")
            object["start_ns"] = .integer(bar.startTimeNs)
            object["interval_seconds"] = .integer(Int64(bar.intervalSeconds))
            object["open"] = .string(bar.open.description)
            object["high"] = .string(bar.high.description)
            object["low"] = .string(bar.low.description)
            object["close"] = .string(bar.close.description)
            object["volume"] = .string(bar.volume.description)
            object["trade_count"] = .integer(Int64(bar.tradeCount))
        }
        return object
    }

    /// A JSON scalar that encodes as itself.
    enum JSONScalar: Encodable {
        case string(String)
        case integer(Int64)
        case bool(Bool)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let value): try container.encode(value)
            case .integer(let value): try container.encode(value)
            case .bool(let value): try container.encode(value)
            }
        }
    }
}
