extension FixedPoint {
    /// Parses "123.45", "-0.00000001", "5" exactly; nil for junk, >8 decimals or overflow.
    public init?(_ string: String) {
        guard case .success(let units) = FixedPoint.parseUnits(string) else { return nil }
        self.init(units: units)
    }

    /// Parses a plain decimal exactly, throwing an error that names the input and the problem.
    public init(parsing string: String) throws(NumberError) {
        switch FixedPoint.parseUnits(string) {
        case .success(let units): self.init(units: units)
        case .failure(let error): throw error
        }
    }

    /// Exact conversion from `decimalUnits × 10^-scale`; throws if not representable at 8 dp.
    public init(decimalUnits: Int64, scale: Int) throws(NumberError) {
        guard (0...18).contains(scale) else { throw .invalidScale(scale) }
        if scale <= FixedPoint.scale {
            let factor = DecimalMath.powersOfTen[FixedPoint.scale - scale]
            let (units, overflow) = decimalUnits.multipliedReportingOverflow(by: factor)
            if overflow { throw .overflow(operation: "rescale \(decimalUnits)e-\(scale)") }
            self.init(units: units)
        } else {
            let divisor = DecimalMath.powersOfTen[scale - FixedPoint.scale]
            guard decimalUnits % divisor == 0 else {
                throw .notRepresentable(value: "\(decimalUnits)e-\(scale)", scale: FixedPoint.scale)
            }
            self.init(units: decimalUnits / divisor)
        }
    }

    /// The value as integer units of 10^-scale; throws if it is not exact at that scale.
    public func decimalUnits(scale: Int) throws(NumberError) -> Int64 {
        guard (0...18).contains(scale) else { throw .invalidScale(scale) }
        if scale >= FixedPoint.scale {
            let factor = DecimalMath.powersOfTen[scale - FixedPoint.scale]
            let (result, overflow) = units.multipliedReportingOverflow(by: factor)
            if overflow { throw .overflow(operation: "rescale \(self) to scale \(scale)") }
            return result
        }
        let divisor = DecimalMath.powersOfTen[FixedPoint.scale - scale]
        guard units % divisor == 0 else {
            throw .notRepresentable(value: description, scale: scale)
        }
        return units / divisor
    }

    static func parseUnits(_ string: String) -> Result<Int64, NumberError> {
        let bytes = Array(string.utf8)
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var magnitude: UInt64 = 0
        var integerDigits = 0
        while index < bytes.count, let digit = digitValue(bytes[index]) {
            let (shifted, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = shifted.addingReportingOverflow(UInt64(digit))
            if overflow1 || overflow2 { return .failure(.outOfRange(input: string)) }
            magnitude = added
            integerDigits += 1
            index += 1
        }
        guard integerDigits > 0 else {
            return .failure(.invalidFormat(input: string, reason: "expected a digit at position \(index)"))
        }
        var fraction: UInt64 = 0
        var fractionDigits = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, let digit = digitValue(bytes[index]) {
                fractionDigits += 1
                if fractionDigits > FixedPoint.scale {
                    return .failure(.tooManyDecimals(input: string, maximum: FixedPoint.scale))
                }
                fraction = fraction * 10 + UInt64(digit)
                index += 1
            }
            guard fractionDigits > 0 else {
                return .failure(.invalidFormat(input: string, reason: "expected a digit after the decimal point"))
            }
        }
        guard index == bytes.count else {
            return .failure(.invalidFormat(input: string, reason: "unexpected character at position \(index)"))
        }
        fraction *= UInt64(DecimalMath.powersOfTen[FixedPoint.scale - fractionDigits])
        let (scaled, overflow1) = magnitude.multipliedReportingOverflow(by: UInt64(DecimalMath.unitsPerWhole))
        let (total, overflow2) = scaled.addingReportingOverflow(fraction)
        if overflow1 || overflow2 { return .failure(.outOfRange(input: string)) }
        if negative {
            guard total <= UInt64(Int64.max) + 1 else { return .failure(.outOfRange(input: string)) }
            return .success(total == UInt64(Int64.max) + 1 ? Int64.min : -Int64(total))
        }
        guard total <= UInt64(Int64.max) else { return .failure(.outOfRange(input: string)) }
        return .success(Int64(total))
    }

    private static func digitValue(_ byte: UInt8) -> UInt8? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? byte - UInt8(ascii: "0") : nil
    }
}
