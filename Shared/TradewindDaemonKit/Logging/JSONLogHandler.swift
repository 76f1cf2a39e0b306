import Logging

/// A swift-log handler writing one JSON object per line: `ts`, `level`, `service`, `label`, `message`,
/// `correlation_id` when the metadata has one, `error` when given, then the metadata flattened.
public struct JSONLogHandler: LogHandler {
    /// Fields the handler writes itself; metadata under these names is written as `meta_<name>`.
    static let reservedKeys: Set<String> = ["ts", "level", "service", "label", "message", "error"]

    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    /// The daemon name written in every line.
    public let service: String
    /// The logger label.
    public let label: String
    private let sink: LogSink

    /// A handler for the logger `label` of `service`, writing to `sink`.
    public init(
        label: String,
        service: String,
        level: Logger.Level = .info,
        sink: LogSink = .standardOutput,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.service = service
        self.logLevel = level
        self.sink = sink
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        sink.write(render(timestamp: WallClock.rfc3339Now(), event: event, metadata: merged))
    }

    /// The JSON line (with trailing newline) for `event`.
    func render(timestamp: String, event: LogEvent, metadata: Logger.Metadata) -> String {
        var line = "{\"ts\":\"\(timestamp)\",\"level\":\"\(event.level.rawValue)\",\"service\":"
        JSONEscaping.appendQuoted(service, to: &line)
        line.append(",\"label\":")
        JSONEscaping.appendQuoted(label, to: &line)
        line.append(",\"message\":")
        JSONEscaping.appendQuoted(event.message.description, to: &line)
        var remaining = metadata
        if let correlation = remaining.removeValue(forKey: "correlation_id") {
            line.append(",\"correlation_id\":")
            Self.appendJSON(correlation, to: &line)
        }
        if let error = event.error {
            line.append(",\"error\":")
            JSONEscaping.appendQuoted(String(describing: error), to: &line)
        }
        for key in remaining.keys.sorted() {
            line.append(",")
            JSONEscaping.appendQuoted(Self.reservedKeys.contains(key) ? "meta_\(key)" : key, to: &line)
            line.append(":")
            Self.appendJSON(remaining[key]!, to: &line)
        }
        line.append("}\n")
        return line
    }

    private static func appendJSON(_ value: Logger.Metadata.Value, to line: inout String) {
        switch value {
        case .string(let text):
            JSONEscaping.appendQuoted(text, to: &line)
        case .stringConvertible(let convertible):
            JSONEscaping.appendQuoted(convertible.description, to: &line)
        case .array(let items):
            line.append("[")
            for (index, item) in items.enumerated() {
                if index > 0 { line.append(",") }
                appendJSON(item, to: &line)
            }
            line.append("]")
        case .dictionary(let members):
            line.append("{")
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { line.append(",") }
                JSONEscaping.appendQuoted(key, to: &line)
                line.append(":")
                appendJSON(members[key]!, to: &line)
            }
            line.append("}")
        }
    }
}
