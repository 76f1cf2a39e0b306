/// An exact EMA in fixed point: ema += (x - ema) · 2/(n+1), rounded half-even per step.
///
/// Seeded with the first value; no binary floating point anywhere.
public struct ExponentialMovingAverage: Sendable, Hashable, Codable {
    /// Period n (alpha = 2 / (n + 1)).
    public let period: Int
    /// Current value; nil before the first update.
    public private(set) var value: Price?
    /// Number of values seen.
    public private(set) var count: Int = 0

    public init(period: Int) {
        self.period = Swift.max(1, period)
    }

    /// Folds in `x` and returns the new average.
    @discardableResult
    public mutating func update(_ x: Price) -> Price {
        count += 1
        guard let current = value else {
            value = x
            return x
        }
        let delta = Int128(x.units) - Int128(current.units)
        let step = DecimalMath.divideHalfEven(delta * 2, Int128(period) + 1)
        let next = Price(units: Int64(Int128(current.units) + step))
        value = next
        return next
    }
}
