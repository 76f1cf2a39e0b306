/// The side of an order, fill or trade aggressor.
public enum Side: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case buy
    case sell

    /// +1 for buy, -1 for sell.
    public var sign: Int {
        switch self {
        case .buy: return 1
        case .sell: return -1
        }
    }

    /// The other side.
    public var opposite: Side {
        switch self {
        case .buy: return .sell
        case .sell: return .buy
        }
    }

    /// `quantity` signed by this side (+ for buy, - for sell).
    public func signed(_ quantity: Quantity) -> Quantity {
        switch self {
        case .buy: return quantity
        case .sell: return -quantity
        }
    }

    public var description: String { rawValue }
}
