/// An exact decimal with 8 fractional digits stored as Int64 units (value = units × 10⁻⁸).
///
/// The `Unit` tag keeps prices, quantities and money apart. Operators `+`, `-` and unary `-`
/// trap on overflow exactly like `Int64`; code handling values from users or peers uses the
/// throwing `adding`, `subtracting` and `negated` instead.
public struct FixedPoint<Unit: FixedPointUnit>: Sendable, Hashable, Comparable, LosslessStringConvertible {
    /// Number of fractional digits.
    public static var scale: Int { 8 }

    /// Raw units of 10⁻⁸.
    public let units: Int64

    /// Creates a value from raw units of 10⁻⁸.
    public init(units: Int64) {
        self.units = units
    }

    /// Zero.
    public static var zero: FixedPoint { FixedPoint(units: 0) }

    /// Largest representable value (92233720368.54775807).
    public static var max: FixedPoint { FixedPoint(units: .max) }

    /// Smallest representable value.
    public static var min: FixedPoint { FixedPoint(units: .min) }

    /// Creates a whole value such as 5 (= 5.00000000), or nil if it does not fit.
    public init?(whole: Int64) {
        let (units, overflow) = whole.multipliedReportingOverflow(by: DecimalMath.unitsPerWhole)
        if overflow { return nil }
        self.init(units: units)
    }

    /// True when the value is exactly zero.
    public var isZero: Bool { units == 0 }

    /// -1, 0 or +1 according to the sign.
    public var signum: Int { units == 0 ? 0 : (units < 0 ? -1 : 1) }

    /// The absolute value; traps only for `FixedPoint.min`.
    public var absoluteValue: FixedPoint { units < 0 ? FixedPoint(units: -units) : self }

    public static func < (lhs: FixedPoint, rhs: FixedPoint) -> Bool {
        lhs.units < rhs.units
    }

    /// Canonical text: no exponent, no trailing fractional zeros ("64250.125", "0.0001", "-3").
    public var description: String {
        // written right to left into one small buffer: no intermediate strings (this runs for every
        // number a CSV, a log line or a database row carries)
        String(unsafeUninitializedCapacity: 40) { buffer in
            var magnitude = units.magnitude
            let perWhole = UInt64(DecimalMath.unitsPerWhole)
            var fraction = magnitude % perWhole
            magnitude /= perWhole
            var end = buffer.count
            if fraction != 0 {
                var digits = FixedPoint.scale
                while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
                for _ in 0..<digits {
                    end -= 1
                    buffer[end] = UInt8(ascii: "0") + UInt8(fraction % 10)
                    fraction /= 10
                }
                end -= 1
                buffer[end] = UInt8(ascii: ".")
            }
            repeat {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            if units < 0 { end -= 1; buffer[end] = UInt8(ascii: "-") }
            let length = buffer.count - end
            for index in 0..<length { buffer[index] = buffer[end + index] }
            return length
        }
    }
}

/// The absolute value of a fixed-point number; traps only for `FixedPoint.min`.
public func abs<Unit>(_ value: FixedPoint<Unit>) -> FixedPoint<Unit> {
    value.absoluteValue
}

extension FixedPoint: Codable {
    /// Decodes from the canonical decimal string, keeping the value exact.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: error.description)
        }
    }

    /// Encodes as the canonical decimal string, so JSON consumers never see a binary float.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension FixedPoint {
    /// The nearest binary floating-point value, for metrics and display only, never for accounting.
    public var doubleValue: Double { Double(units) / Double(DecimalMath.unitsPerWhole) }
}
