/// A net position with average cost, realized and unrealized PnL.
///
/// Exactness: the position keeps its cost basis as the sum of fill notionals (each
/// `price × quantity` rounded half-even once). Closing releases a pro-rata share of that
/// basis, and a flip splits the fill's notional, so `realizedPnl - costBasis` always equals
/// `-(Σ signed fill notionals) - fees` to the unit, and
/// `realizedPnl + unrealizedPnl == -(Σ signed fill notionals) - fees + quantity × mark`.
public struct Position: Sendable, Hashable, Codable {
    public let instrument: InstrumentId
    /// Signed net quantity (+ long, - short).
    public private(set) var quantity: Quantity
    /// |costBasis| / |quantity|, half-even; zero when flat.
    public private(set) var averagePrice: Price
    /// Signed cost of the open quantity (+ paid for a long, - received for a short).
    public private(set) var costBasis: Money
    /// Realized PnL net of all fees.
    public private(set) var realizedPnl: Money
    /// Fees paid so far (already deducted from realizedPnl).
    public private(set) var fees: Money
    public private(set) var fillCount: Int
    /// Latest mark (quote mid, or the last fill price before any quote).
    public private(set) var markPrice: Price?
    /// Time of the last fill or mark.
    public private(set) var updatedTimeNs: Int64

    /// A flat position.
    public init(instrument: InstrumentId) {
        self.instrument = instrument
        quantity = .zero
        averagePrice = .zero
        costBasis = .zero
        realizedPnl = .zero
        fees = .zero
        fillCount = 0
        markPrice = nil
        updatedTimeNs = 0
    }

    /// True when the net quantity is zero.
    public var isFlat: Bool { quantity.isZero }

    /// quantity × mark, half-even (zero without a mark); saturates instead of trapping.
    public var marketValue: Money {
        guard let markPrice else { return .zero }
        return .saturating(Money.productUnits(quantity.units, markPrice.units))
    }

    /// marketValue - costBasis, i.e. quantity × (mark - average cost); zero without a mark.
    public var unrealizedPnl: Money {
        guard markPrice != nil else { return .zero }
        return .saturating(Int128(marketValue.units) - Int128(costBasis.units))
    }

    /// realizedPnl + unrealizedPnl.
    public var totalPnl: Money { .saturating(Int128(realizedPnl.units) + Int128(unrealizedPnl.units)) }

    /// Marks the position to `price`.
    public mutating func mark(_ price: Price, timeNs: Int64) {
        markPrice = price
        updatedTimeNs = timeNs
    }

    /// Applies a fill: open, add, reduce, close or flip; on error the position is unchanged.
    public mutating func apply(fill: Fill) throws(PositionError) {
        guard fill.instrument == instrument else { throw .instrumentMismatch(expected: instrument, got: fill.instrument) }
        guard fill.quantity > .zero else { throw .invalidQuantity(tradeId: fill.tradeId, fill.quantity) }
        guard fill.price > .zero else { throw .invalidPrice(tradeId: fill.tradeId, fill.price) }
        do {
            try applyChecked(fill)
        } catch {
            throw .overflow(tradeId: fill.tradeId, error)
        }
    }

    private mutating func applyChecked(_ fill: Fill) throws(NumberError) {
        var next = self
        let sign: Int64 = Int64(fill.side.sign)
        let notional = try fill.price.notional(fill.quantity)
        if quantity.isZero || quantity.signum == fill.side.sign {
            next.quantity = try quantity.adding(fill.side.signed(fill.quantity))
            next.costBasis = try costBasis.adding(try notional.multiplied(by: sign))
        } else {
            let held = quantity.absoluteValue
            let closing = min(fill.quantity, held)
            let closingNotional = closing == fill.quantity ? notional : try fill.price.notional(closing)
            let released: Money = closing == held
                ? costBasis
                : Money(units: Int64(DecimalMath.divideHalfEven(
                    Int128(costBasis.units) * Int128(closing.units), Int128(held.units))))
            let signedClosing = try closingNotional.multiplied(by: sign)
            next.realizedPnl = try realizedPnl.subtracting(try signedClosing.adding(released))
            next.costBasis = try costBasis.subtracting(released)
            next.quantity = try quantity.adding(fill.side.signed(closing))
            if fill.quantity > closing {
                let opening = fill.quantity - closing
                next.quantity = fill.side.signed(opening)
                next.costBasis = try (try notional.subtracting(closingNotional)).multiplied(by: sign)
            }
        }
        next.realizedPnl = try next.realizedPnl.subtracting(fill.fee)
        next.fees = try fees.adding(fill.fee)
        next.averagePrice = next.quantity.isZero
            ? .zero
            : try next.costBasis.absoluteValue.divided(by: next.quantity.absoluteValue)
        next.fillCount += 1
        if markPrice == nil { next.markPrice = fill.price }
        next.updatedTimeNs = fill.timeNs
        self = next
    }
}

/// Why a fill could not be applied to a position.
public enum PositionError: Error, Sendable, Hashable, CustomStringConvertible {
    case instrumentMismatch(expected: InstrumentId, got: InstrumentId)
    case invalidQuantity(tradeId: String, Quantity)
    case invalidPrice(tradeId: String, Price)
    case overflow(tradeId: String, NumberError)

    public var description: String {
        switch self {
        case .instrumentMismatch(let expected, let got):
            return "fill for \(got) applied to position in \(expected)"
        case .invalidQuantity(let tradeId, let quantity):
            return "fill \(tradeId): quantity \(quantity) must be > 0"
        case .invalidPrice(let tradeId, let price):
            return "fill \(tradeId): price \(price) must be > 0"
        case .overflow(let tradeId, let error):
            return "fill \(tradeId): \(error)"
        }
    }
}
