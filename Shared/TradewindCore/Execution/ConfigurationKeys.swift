/// Decoding helper: configuration structs refuse keys they do not know, naming the key.
enum ConfigurationKeys {
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func refuseUnknown(in decoder: any Decoder, known: [String], section: String) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let prefix = decoder.codingPath.map(\.stringValue).joined(separator: ".")
        for key in container.allKeys.map(\.stringValue).sorted() where !known.contains(key) {
            throw ConfigurationError(
                key: prefix.isEmpty ? key : "\(prefix).\(key)", value: key,
                reason: "unknown key in \(section) (known: \(known.joined(separator: ", ")))")
        }
    }
}
