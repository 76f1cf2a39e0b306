/// A statement parameter. Every kind is sent in PostgreSQL's text format, so decimals stay
/// exact and the server converts to the column's type; `nil` (an absent value) is SQL NULL.
public enum PGValue: Sendable, Hashable, Codable {
    /// UTF-8 text. PostgreSQL text cannot hold U+0000: such a value is rejected before sending
    /// (`StoreError.invalidValue`); store binary data as `.bytes`.
    case text(String)
    case int(Int64)
    case bool(Bool)
    /// Sent as bytea hex text (`\x0a1b`).
    case bytes([UInt8])
    /// Nanoseconds since the Unix epoch, sent as a UTC `timestamptz` literal. PostgreSQL keeps
    /// microseconds, so the value is floored to the microsecond; keep exact ns in a BIGINT (`.int`).
    case timestampNs(Int64)
    /// An exact decimal such as `-0.00000001`: optional sign, digits, optional fraction.
    case numeric(String)

    /// The text-format rendering sent to the server, after checking it can be stored exactly.
    public func rendered(field: String = "parameter") throws(StoreError) -> String {
        switch self {
        case .text(let text):
            if text.utf8.contains(0) {
                throw .invalidValue(field: field, reason: "text contains a NUL byte (U+0000), which PostgreSQL text cannot store; use .bytes")
            }
            return text
        case .int(let value):
            return String(value)
        case .bool(let value):
            return value ? "t" : "f"
        case .bytes(let bytes):
            return "\\x" + Hex.encode(bytes)
        case .timestampNs(let nanoseconds):
            return PGTimestamp.render(nanoseconds: nanoseconds)
        case .numeric(let decimal):
            guard Self.isExactDecimal(decimal) else {
                throw .invalidValue(field: field, reason: "\"\(decimal.prefix(40))\" is not an exact decimal (expected -?digits[.digits])")
            }
            return decimal
        }
    }

    /// Checks that the value can be rendered, without building the text.
    public func validate(field: String = "parameter") throws(StoreError) {
        switch self {
        case .text, .numeric: _ = try rendered(field: field)
        case .int, .bool, .bytes, .timestampNs: break
        }
    }

    /// Roughly how many bytes the rendering takes; used to bound statement size.
    var renderedSizeEstimate: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .numeric(let text): text.utf8.count
        case .bytes(let bytes): 2 + bytes.count * 2
        case .int, .timestampNs: 20
        case .bool: 1
        }
    }

    static func isExactDecimal(_ text: String) -> Bool {
        var utf8 = Substring(text).utf8[...]
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { utf8 = utf8.dropFirst() }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let integer = utf8.prefix(while: isDigit)
        var rest = utf8.dropFirst(integer.count)
        guard !integer.isEmpty else { return false }
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            let fraction = rest.prefix(while: isDigit)
            guard !fraction.isEmpty else { return false }
            rest = rest.dropFirst(fraction.count)
        }
        return rest.isEmpty
    }
}
