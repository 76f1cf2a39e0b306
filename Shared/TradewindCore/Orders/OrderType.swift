/// How an order is priced.
public enum OrderType: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Takes liquidity at the touch.
    case market
    /// Trades at the limit price or better.
    case limit

    public var description: String { rawValue }
}

/// How long an order stays working.
public enum TimeInForce: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Good till canceled: the unfilled rest of a limit order rests on the book.
    case gtc
    /// Immediate or cancel: the unfilled rest is canceled at once.
    case ioc

    public var description: String { rawValue }
}

/// Whether a fill added (maker) or removed (taker) liquidity.
public enum Liquidity: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case maker
    case taker
    /// Not a fill (acks, cancels, rejects).
    case none

    public var description: String { rawValue }
}

/// What an execution report reports.
public enum ExecType: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case ack
    case partialFill = "partial_fill"
    case fill
    /// Canceled or expired (see the report's `orderStatus`).
    case canceled
    case rejected

    public var description: String { rawValue }
}
