import TradewindCore

extension Tradewind_V1_Side {
    public init(_ side: Side) {
        switch side {
        case .buy: self = .buy
        case .sell: self = .sell
        }
    }
}

extension Side {
    init(wire: Tradewind_V1_Side, message: String, field: String = "side") throws(WireError) {
        switch wire {
        case .buy: self = .buy
        case .sell: self = .sell
        case .unspecified: throw WireError.missingField(message: message, field: field)
        case .UNRECOGNIZED(let value): throw WireError.unknownEnumValue(message: message, field: field, value: value)
        }
    }
}

extension Tradewind_V1_Quote {
    public init(_ quote: Quote) {
        self.init()
        instrument = quote.instrument.description
        bidPrice = .init(quote.bid)
        bidSize = .init(quote.bidSize)
        askPrice = .init(quote.ask)
        askSize = .init(quote.askSize)
        exchangeTimeNs = quote.exchangeTimeNs ?? 0
    }
}

extension Quote {
    /// A core quote from the wire; `timeNs` is the envelope's event time.
    public init(wire: Tradewind_V1_Quote, timeNs: Int64) throws(WireError) {
        let m = "Quote"
        self.init(
            instrument: try InstrumentId(wire: wire.instrument, message: m),
            bid: try decimal(m, "bid_price", wire.bidPrice, present: wire.hasBidPrice),
            bidSize: try decimal(m, "bid_size", wire.bidSize, present: wire.hasBidSize),
            ask: try decimal(m, "ask_price", wire.askPrice, present: wire.hasAskPrice),
            askSize: try decimal(m, "ask_size", wire.askSize, present: wire.hasAskSize),
            timeNs: timeNs,
            exchangeTimeNs: wire.exchangeTimeNs == 0 ? nil : wire.exchangeTimeNs
        )
    }
}

extension Tradewind_V1_Trade {
    public init(_ trade: Trade) {
        self.init()
        instrument = trade.instrument.description
        price = .init(trade.price)
        size = .init(trade.size)
        aggressor = .init(trade.aggressor)
        tradeID = trade.tradeId
        exchangeTimeNs = trade.exchangeTimeNs ?? 0
    }
}

extension Trade {
    public init(wire: Tradewind_V1_Trade, timeNs: Int64) throws(WireError) {
        let m = "Trade"
        self.init(
            instrument: try InstrumentId(wire: wire.instrument, message: m),
            price: try decimal(m, "price", wire.price, present: wire.hasPrice),
            size: try decimal(m, "size", wire.size, present: wire.hasSize),
            aggressor: try Side(wire: wire.aggressor, message: m, field: "aggressor"),
            tradeId: wire.tradeID,
            timeNs: timeNs,
            exchangeTimeNs: wire.exchangeTimeNs == 0 ? nil : wire.exchangeTimeNs
        )
    }
}

extension Tradewind_V1_BookUpdate {
    public init(_ book: BookUpdate) {
        self.init()
        instrument = book.instrument.description
        snapshot = book.snapshot
        bids = book.bids.map(Tradewind_V1_BookLevel.init)
        asks = book.asks.map(Tradewind_V1_BookLevel.init)
        exchangeTimeNs = book.exchangeTimeNs ?? 0
    }
}

extension Tradewind_V1_BookLevel {
    public init(_ level: BookLevel) {
        self.init()
        price = .init(level.price)
        size = .init(level.size)
    }
}

extension BookUpdate {
    public init(wire: Tradewind_V1_BookUpdate, timeNs: Int64) throws(WireError) {
        let m = "BookUpdate"
        func levels(_ wire: [Tradewind_V1_BookLevel], _ name: String) throws(WireError) -> [BookLevel] {
            var result: [BookLevel] = []
            result.reserveCapacity(wire.count)
            for level in wire {
                result.append(BookLevel(
                    price: try decimal(m, "\(name).price", level.price, present: level.hasPrice),
                    size: try decimal(m, "\(name).size", level.size, present: level.hasSize)
                ))
            }
            return result
        }
        self.init(
            instrument: try InstrumentId(wire: wire.instrument, message: m),
            snapshot: wire.snapshot,
            bids: try levels(wire.bids, "bids"),
            asks: try levels(wire.asks, "asks"),
            timeNs: timeNs,
            exchangeTimeNs: wire.exchangeTimeNs == 0 ? nil : wire.exchangeTimeNs
        )
    }
}

extension Tradewind_V1_Bar {
    public init(_ bar: Bar) {
        self.init()
        instrument = bar.instrument.description
        startTimeNs = bar.startTimeNs
        intervalSeconds = UInt32(clamping: bar.intervalSeconds)
        open = .init(bar.open)
        high = .init(bar.high)
        low = .init(bar.low)
        close = .init(bar.close)
        volume = .init(bar.volume)
        tradeCount = UInt64(clamping: bar.tradeCount)
    }
}

extension Bar {
    public init(wire: Tradewind_V1_Bar) throws(WireError) {
        let m = "Bar"
        self.init(
            instrument: try InstrumentId(wire: wire.instrument, message: m),
            startTimeNs: wire.startTimeNs,
            intervalSeconds: Int(wire.intervalSeconds),
            open: try decimal(m, "open", wire.open, present: wire.hasOpen),
            high: try decimal(m, "high", wire.high, present: wire.hasHigh),
            low: try decimal(m, "low", wire.low, present: wire.hasLow),
            close: try decimal(m, "close", wire.close, present: wire.hasClose),
            volume: try decimal(m, "volume", wire.volume, present: wire.hasVolume),
            tradeCount: Int(clamping: wire.tradeCount)
        )
    }
}
