/// Validates schema, table and column names against `^[a-z_][a-z0-9_]*$` (at most 63 bytes,
/// PostgreSQL's limit) and quotes them; values are never interpolated, only these names.
public enum SQLIdentifier {
    /// `"name"`, or throws `invalidIdentifier`.
    public static func quoted(_ name: String) throws(StoreError) -> String {
        guard isValid(name) else { throw .invalidIdentifier(name) }
        return "\"\(name)\""
    }

    /// `"schema"."table"` for a schema-qualified name (or `"table"` for a bare one).
    public static func quotedQualified(_ name: String) throws(StoreError) -> String {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { throw .invalidIdentifier(name) }
        var quoted: [String] = []
        for part in parts { quoted.append(try Self.quoted(String(part))) }
        return quoted.joined(separator: ".")
    }

    /// Whether `name` matches `^[a-z_][a-z0-9_]*$` and fits in 63 bytes.
    public static func isValid(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard let first = utf8.first, utf8.count <= 63, first == UInt8(ascii: "_") || isLower(first) else { return false }
        return utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLower($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }

    private static func isLower(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }
}
