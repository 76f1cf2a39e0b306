/// Top of book for one instrument at one time.
public struct Quote: Sendable, Hashable, Codable {
    public var instrument: InstrumentId
    public var bid: Price
    public var bidSize: Quantity
    public var ask: Price
    public var askSize: Quantity
    /// Event time, nanoseconds since the Unix epoch: the local receive time of a live feed.
    public var timeNs: Int64
    /// The venue's own time for the quote, where the venue sends one (Binance Spot's bookTicker does
    /// not; Tardis quotes do).
    public var exchangeTimeNs: Int64?

    public init(
        instrument: InstrumentId, bid: Price, bidSize: Quantity, ask: Price, askSize: Quantity, timeNs: Int64,
        exchangeTimeNs: Int64? = nil
    ) {
        self.instrument = instrument
        self.bid = bid
        self.bidSize = bidSize
        self.ask = ask
        self.askSize = askSize
        self.timeNs = timeNs
        self.exchangeTimeNs = exchangeTimeNs
    }

    /// Midpoint (bid + ask) / 2, rounded half-even to 8 dp.
    public var mid: Price { Price.midpoint(bid, ask) }

    /// ask - bid (saturating, so malformed peer quotes cannot trap).
    public var spread: Price { .saturating(Int128(ask.units) - Int128(bid.units)) }

    /// True when both sides have a positive price and bid < ask (usable for marking and signals).
    public var isTwoSided: Bool { bid > .zero && ask > .zero && bid < ask }

    /// The price a taker pays on `side`: the ask for a buy, the bid for a sell.
    public func touch(for side: Side) -> Price {
        switch side {
        case .buy: return ask
        case .sell: return bid
        }
    }

    /// The size available to a taker on `side`.
    public func touchSize(for side: Side) -> Quantity {
        switch side {
        case .buy: return askSize
        case .sell: return bidSize
        }
    }
}
