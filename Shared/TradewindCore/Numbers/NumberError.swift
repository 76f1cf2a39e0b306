/// Why a fixed-point parse, conversion or checked operation failed, with the offending value.
public enum NumberError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is not a plain decimal number such as "123.45" or "-0.5".
    case invalidFormat(input: String, reason: String)
    /// The text has more fractional digits than the fixed-point scale allows.
    case tooManyDecimals(input: String, maximum: Int)
    /// The value does not fit in 64-bit units at 8 decimal places.
    case outOfRange(input: String)
    /// An arithmetic operation overflowed 64-bit units.
    case overflow(operation: String)
    /// A division had a zero divisor.
    case divisionByZero(operation: String)
    /// A decimal scale outside 0...18 was requested.
    case invalidScale(Int)
    /// The value cannot be expressed exactly at the requested scale.
    case notRepresentable(value: String, scale: Int)

    public var description: String {
        switch self {
        case .invalidFormat(let input, let reason):
            return "invalid decimal \"\(NumberError.clip(input))\": \(reason)"
        case .tooManyDecimals(let input, let maximum):
            return "decimal \"\(NumberError.clip(input))\" has more than \(maximum) fractional digits"
        case .outOfRange(let input):
            return "decimal \"\(NumberError.clip(input))\" is out of range (max ±92233720368.54775807)"
        case .overflow(let operation):
            return "fixed-point overflow in \(operation)"
        case .divisionByZero(let operation):
            return "division by zero in \(operation)"
        case .invalidScale(let scale):
            return "decimal scale \(scale) is outside 0...18"
        case .notRepresentable(let value, let scale):
            return "value \(value) cannot be represented exactly with \(scale) decimal places"
        }
    }

    static func clip(_ text: String) -> String {
        text.count <= 40 ? text : String(text.prefix(40)) + "…"
    }
}
