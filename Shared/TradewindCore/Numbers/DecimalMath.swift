/// Integer helpers shared by fixed-point arithmetic: powers of ten and half-even division.
enum DecimalMath {
    /// 10^0 ... 10^18, all representable in Int64.
    static let powersOfTen: [Int64] = {
        var table: [Int64] = [1]
        for _ in 1...18 { table.append(table[table.count - 1] * 10) }
        return table
    }()

    /// Units per whole value at the fixed-point scale (10^8).
    static let unitsPerWhole: Int64 = 100_000_000

    /// `numerator / denominator` rounded half to even; `denominator` must be non-zero.
    static func divideHalfEven(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        var n = numerator
        var d = denominator
        if d < 0 { n = -n; d = -d }
        let quotient = n / d
        let remainder = n % d
        if remainder == 0 { return quotient }
        let twiceRemainder = remainder.magnitude * 2
        let direction: Int128 = n < 0 ? -1 : 1
        if twiceRemainder > d.magnitude { return quotient + direction }
        if twiceRemainder < d.magnitude { return quotient }
        return quotient % 2 == 0 ? quotient : quotient + direction
    }

    /// `numerator / denominator` rounded toward negative infinity; `denominator` > 0.
    static func floorDivide(_ numerator: Int64, _ denominator: Int64) -> Int64 {
        let quotient = numerator / denominator
        return (numerator % denominator != 0 && numerator < 0) ? quotient - 1 : quotient
    }

    /// Narrows to Int64 or reports overflow in `operation`.
    static func narrow(_ value: Int128, _ operation: String) throws(NumberError) -> Int64 {
        guard let narrowed = Int64(exactly: value) else { throw .overflow(operation: operation) }
        return narrowed
    }
}

extension FixedPoint {
    /// Clamps an Int128 unit count into range (used only for derived views such as PnL marks).
    public static func saturating(_ units: Int128) -> FixedPoint {
        FixedPoint(units: Int64(Swift.max(Int128(Int64.min), Swift.min(Int128(Int64.max), units))))
    }

    /// Product `a × b / 10^8` in Int128 with half-even rounding, unclamped.
    static func productUnits(_ a: Int64, _ b: Int64) -> Int128 {
        DecimalMath.divideHalfEven(Int128(a) * Int128(b), Int128(DecimalMath.unitsPerWhole))
    }
}
