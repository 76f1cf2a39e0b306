/// One side of an order book: resting buy orders (bids) or resting sell orders (asks).
public enum BookSide: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case bid
    case ask

    /// The other side.
    public var opposite: BookSide {
        switch self {
        case .bid: return .ask
        case .ask: return .bid
        }
    }

    /// The side a taker of `side` trades against: a buy lifts the asks, a sell hits the bids.
    public init(takenBy side: Side) {
        switch side {
        case .buy: self = .ask
        case .sell: self = .bid
        }
    }

    /// The side an order of `side` rests on: a buy among the bids, a sell among the asks.
    public init(resting side: Side) {
        switch side {
        case .buy: self = .bid
        case .sell: self = .ask
        }
    }

    public var description: String { rawValue }
}

/// How the best bid and best ask overlap when they should not.
public enum BookCross: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Best bid equals best ask.
    case locked
    /// Best bid above best ask.
    case crossed

    public var description: String { rawValue }
}
