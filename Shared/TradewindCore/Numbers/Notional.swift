extension FixedPoint where Unit == PriceUnit {
    /// Notional `price × quantity`, exact in Int128 then rounded half-even to 8 dp; traps on overflow.
    public static func * (price: Price, quantity: Quantity) -> Money {
        do {
            return try price.notional(quantity)
        } catch {
            preconditionFailure(error.description)
        }
    }

    /// Checked notional `price × quantity` (half-even to 8 dp); throws if it exceeds Money's range.
    public func notional(_ quantity: Quantity) throws(NumberError) -> Money {
        let product = Int128(units) * Int128(quantity.units)
        let rounded = DecimalMath.divideHalfEven(product, Int128(DecimalMath.unitsPerWhole))
        return Money(units: try DecimalMath.narrow(rounded, "\(self) * \(quantity)"))
    }

    /// Midpoint of two prices, rounded half-even to 8 dp (never overflows).
    public static func midpoint(_ a: Price, _ b: Price) -> Price {
        Price(units: Int64(DecimalMath.divideHalfEven(Int128(a.units) + Int128(b.units), 2)))
    }
}

extension FixedPoint where Unit == QuantityUnit {
    /// Notional `quantity × price`, see `Price * Quantity`.
    public static func * (quantity: Quantity, price: Price) -> Money {
        price * quantity
    }
}

extension FixedPoint where Unit == MoneyUnit {
    /// Average price `money / quantity`, rounded half-even; traps on zero quantity or overflow.
    public static func / (money: Money, quantity: Quantity) -> Price {
        do {
            return try money.divided(by: quantity)
        } catch {
            preconditionFailure(error.description)
        }
    }

    /// Checked average price `money / quantity`, rounded half-even to 8 dp.
    public func divided(by quantity: Quantity) throws(NumberError) -> Price {
        guard quantity.units != 0 else { throw .divisionByZero(operation: "\(self) / quantity 0") }
        let numerator = Int128(units) * Int128(DecimalMath.unitsPerWhole)
        let result = DecimalMath.divideHalfEven(numerator, Int128(quantity.units))
        return Price(units: try DecimalMath.narrow(result, "\(self) / \(quantity)"))
    }

    /// This amount times `bps` basis points (`× bps / 10 000`), rounded half-even.
    public func applying(bps: Int64) throws(NumberError) -> Money {
        let product = Int128(units) * Int128(bps)
        let result = DecimalMath.divideHalfEven(product, 10_000)
        return Money(units: try DecimalMath.narrow(result, "\(self) * \(bps) bps"))
    }

    /// This amount times a fee rate, rounded half-even; never overflows since |rate| ≤ 1.
    public func applying(_ rate: FeeRate) -> Money {
        let product = Int128(units) * Int128(rate.rate.units)
        return Money(units: Int64(DecimalMath.divideHalfEven(product, Int128(DecimalMath.unitsPerWhole))))
    }
}
