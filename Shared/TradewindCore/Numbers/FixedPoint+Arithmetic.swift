extension FixedPoint {
    /// Sum; traps on overflow like `Int64` (use `adding(_:)` for untrusted values).
    public static func + (lhs: FixedPoint, rhs: FixedPoint) -> FixedPoint {
        FixedPoint(units: lhs.units + rhs.units)
    }

    /// Difference; traps on overflow like `Int64` (use `subtracting(_:)` for untrusted values).
    public static func - (lhs: FixedPoint, rhs: FixedPoint) -> FixedPoint {
        FixedPoint(units: lhs.units - rhs.units)
    }

    /// Negation; traps only for `FixedPoint.min`.
    public static prefix func - (value: FixedPoint) -> FixedPoint {
        FixedPoint(units: -value.units)
    }

    public static func += (lhs: inout FixedPoint, rhs: FixedPoint) { lhs = lhs + rhs }
    public static func -= (lhs: inout FixedPoint, rhs: FixedPoint) { lhs = lhs - rhs }

    /// Scales by an integer; traps on overflow (use `multiplied(by:)` for untrusted values).
    public static func * (lhs: FixedPoint, rhs: Int64) -> FixedPoint {
        FixedPoint(units: lhs.units * rhs)
    }

    /// Checked sum that reports overflow instead of trapping.
    public func adding(_ other: FixedPoint) throws(NumberError) -> FixedPoint {
        let (result, overflow) = units.addingReportingOverflow(other.units)
        if overflow { throw .overflow(operation: "\(self) + \(other)") }
        return FixedPoint(units: result)
    }

    /// Checked difference that reports overflow instead of trapping.
    public func subtracting(_ other: FixedPoint) throws(NumberError) -> FixedPoint {
        let (result, overflow) = units.subtractingReportingOverflow(other.units)
        if overflow { throw .overflow(operation: "\(self) - \(other)") }
        return FixedPoint(units: result)
    }

    /// Checked negation.
    public func negated() throws(NumberError) -> FixedPoint {
        guard units != .min else { throw .overflow(operation: "-(\(self))") }
        return FixedPoint(units: -units)
    }

    /// Checked multiplication by an integer factor.
    public func multiplied(by factor: Int64) throws(NumberError) -> FixedPoint {
        let (result, overflow) = units.multipliedReportingOverflow(by: factor)
        if overflow { throw .overflow(operation: "\(self) * \(factor)") }
        return FixedPoint(units: result)
    }

    /// Division by an integer, rounded half to even to 8 decimal places.
    public func divided(by divisor: Int64) throws(NumberError) -> FixedPoint {
        guard divisor != 0 else { throw .divisionByZero(operation: "\(self) / 0") }
        let result = DecimalMath.divideHalfEven(Int128(units), Int128(divisor))
        return FixedPoint(units: try DecimalMath.narrow(result, "\(self) / \(divisor)"))
    }

    /// True when the value is a whole multiple of `increment` (false for a zero increment unless self is zero).
    public func isMultiple(of increment: FixedPoint) -> Bool {
        guard increment.units != 0 else { return units == 0 }
        return units % increment.units == 0
    }

    /// Rounds to a multiple of `increment` using `rule`; a non-positive increment returns self.
    ///
    /// If rounding away from zero would overflow, the toward-zero multiple is returned.
    public func rounded(toIncrement increment: FixedPoint, rule: IncrementRounding = .towardZero) -> FixedPoint {
        guard increment.units > 0 else { return self }
        let step = increment.units
        let remainder = units % step
        if remainder == 0 { return self }
        let towardZero = units - remainder
        let awayFromZero = Int128(towardZero) + Int128(units < 0 ? -step : step)
        let useAway: Bool
        switch rule {
        case .towardZero: useAway = false
        case .awayFromZero: useAway = true
        case .down: useAway = units < 0
        case .up: useAway = units > 0
        case .toNearestOrEven:
            let twice = remainder.magnitude * 2
            if twice == step.magnitude {
                useAway = (towardZero / step) % 2 != 0
            } else {
                useAway = twice > step.magnitude
            }
        }
        guard useAway, let away = Int64(exactly: awayFromZero) else { return FixedPoint(units: towardZero) }
        return FixedPoint(units: away)
    }
}

/// How to round a value to a multiple of an increment (tick or lot).
public enum IncrementRounding: String, Sendable, Hashable, Codable, CaseIterable {
    /// Truncate toward zero (the default for ticks and lots).
    case towardZero
    /// Away from zero.
    case awayFromZero
    /// Toward negative infinity.
    case down
    /// Toward positive infinity.
    case up
    /// To the nearest multiple, ties to the even multiple.
    case toNearestOrEven
}

extension FixedPoint where Unit == PriceUnit {
    /// Rounds to a multiple of the tick size, toward zero unless another rule is given.
    public func rounded(toTick tick: Price, rule: IncrementRounding = .towardZero) -> Price {
        rounded(toIncrement: tick, rule: rule)
    }
}

extension FixedPoint where Unit == QuantityUnit {
    /// Rounds to a multiple of the lot size, toward zero unless another rule is given.
    public func rounded(toLot lot: Quantity, rule: IncrementRounding = .towardZero) -> Quantity {
        rounded(toIncrement: lot, rule: rule)
    }
}
