extension ConfigValue {
    /// Renders the value as JSON with object keys sorted; `pretty` indents by two spaces.
    public func jsonText(pretty: Bool = false) -> String {
        var output = ""
        render(into: &output, pretty: pretty, indent: 0)
        return output
    }

    private func render(into output: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: output.append("null")
        case .bool(let value): output.append(value ? "true" : "false")
        case .number(let text): output.append(text)
        case .string(let text): JSONEscaping.appendQuoted(text, to: &output)
        case .array(let items):
            renderContainer(open: "[", close: "]", count: items.count, into: &output, pretty: pretty, indent: indent) {
                index, output in
                items[index].render(into: &output, pretty: pretty, indent: indent + 1)
            }
        case .object(let members):
            let keys = members.keys.sorted()
            renderContainer(open: "{", close: "}", count: keys.count, into: &output, pretty: pretty, indent: indent) {
                index, output in
                JSONEscaping.appendQuoted(keys[index], to: &output)
                output.append(pretty ? ": " : ":")
                members[keys[index]]!.render(into: &output, pretty: pretty, indent: indent + 1)
            }
        }
    }

    private func renderContainer(
        open: String,
        close: String,
        count: Int,
        into output: inout String,
        pretty: Bool,
        indent: Int,
        element: (Int, inout String) -> Void
    ) {
        output.append(open)
        guard count > 0 else {
            output.append(close)
            return
        }
        for index in 0..<count {
            if index > 0 { output.append(",") }
            if pretty { output.append("\n" + String(repeating: "  ", count: indent + 1)) }
            element(index, &output)
        }
        if pretty { output.append("\n" + String(repeating: "  ", count: indent)) }
        output.append(close)
    }
}
