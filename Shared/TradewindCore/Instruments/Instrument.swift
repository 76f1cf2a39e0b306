/// Static trading rules of an instrument: assets, tick size, lot size and minimum quantity.
public struct Instrument: Sendable, Hashable, Codable {
    public var id: InstrumentId
    public var baseAsset: String
    public var quoteAsset: String
    /// Smallest price increment; prices must be multiples of it.
    public var tickSize: Price
    /// Smallest quantity increment; quantities must be multiples of it.
    public var lotSize: Quantity
    /// Smallest order quantity accepted.
    public var minQuantity: Quantity

    public init(
        id: InstrumentId, baseAsset: String, quoteAsset: String,
        tickSize: Price, lotSize: Quantity, minQuantity: Quantity
    ) {
        self.id = id
        self.baseAsset = baseAsset
        self.quoteAsset = quoteAsset
        self.tickSize = tickSize
        self.lotSize = lotSize
        self.minQuantity = minQuantity
    }

    /// Checks the rules are usable (positive tick and lot, non-negative minimum on the lot grid).
    public func validate() throws(InstrumentError) {
        guard !baseAsset.isEmpty, !quoteAsset.isEmpty else { throw .missingAsset(id) }
        guard tickSize > .zero else { throw .invalidTickSize(id, tickSize) }
        guard lotSize > .zero else { throw .invalidLotSize(id, lotSize) }
        guard minQuantity >= .zero, minQuantity.isMultiple(of: lotSize) else {
            throw .invalidMinQuantity(id, minQuantity)
        }
    }

    /// True if `price` is positive and on the tick grid.
    public func isValidPrice(_ price: Price) -> Bool {
        price > .zero && price.isMultiple(of: tickSize)
    }

    /// True if `quantity` is positive, on the lot grid and at least the minimum quantity.
    public func isValidQuantity(_ quantity: Quantity) -> Bool {
        quantity > .zero && quantity.isMultiple(of: lotSize) && quantity >= minQuantity
    }
}

/// Why an instrument definition is unusable.
public enum InstrumentError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingAsset(InstrumentId)
    case invalidTickSize(InstrumentId, Price)
    case invalidLotSize(InstrumentId, Quantity)
    case invalidMinQuantity(InstrumentId, Quantity)

    public var description: String {
        switch self {
        case .missingAsset(let id): return "instrument \(id): base and quote assets must be non-empty"
        case .invalidTickSize(let id, let tick): return "instrument \(id): tick size \(tick) must be > 0"
        case .invalidLotSize(let id, let lot): return "instrument \(id): lot size \(lot) must be > 0"
        case .invalidMinQuantity(let id, let minimum):
            return "instrument \(id): min quantity \(minimum) must be >= 0 and a multiple of the lot size"
        }
    }
}
