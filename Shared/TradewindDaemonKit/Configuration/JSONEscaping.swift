/// JSON string escaping shared by configuration rendering and the JSON log handler.
public enum JSONEscaping {
    private static let hex: [Character] = Array("0123456789abcdef")

    /// Appends `text` to `output` as a quoted JSON string (RFC 8259 escapes; control characters as `\u00XX`).
    static func appendQuoted(_ text: String, to output: inout String) {
        output.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case "\u{08}": output.append("\\b")
            case "\u{0C}": output.append("\\f")
            case "\u{00}"..."\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}":
                let value = Int(scalar.value)
                output.append("\\u")
                for shift in [12, 8, 4, 0] {
                    output.append(hex[(value >> shift) & 0xF])
                }
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output.append("\"")
    }

    /// `text` as a quoted JSON string.
    public static func quoted(_ text: String) -> String {
        var output = ""
        appendQuoted(text, to: &output)
        return output
    }
}
