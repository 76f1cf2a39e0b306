import TradewindCore

/// Why a wire message could not become a core value; names the field and the offending value.
public enum WireError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingField(message: String, field: String)
    case invalidField(message: String, field: String, reason: String)
    case unknownEnumValue(message: String, field: String, value: Int)

    public var description: String {
        switch self {
        case .missingField(let message, let field):
            return "\(message).\(field) is missing"
        case .invalidField(let message, let field, let reason):
            return "\(message).\(field) is invalid: \(reason)"
        case .unknownEnumValue(let message, let field, let value):
            return "\(message).\(field) has unknown value \(value)"
        }
    }
}
