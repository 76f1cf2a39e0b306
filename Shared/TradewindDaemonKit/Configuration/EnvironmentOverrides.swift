/// Applies `TRADEWIND_<SECTION>_<KEY>` environment variables over a configuration tree.
///
/// A variable's value is coerced to the JSON type of the default at its key (objects and arrays
/// must be given as JSON). A variable naming a known section but no key of it fails (typo safety);
/// any other `TRADEWIND_` variable must be on the non-config allow-list.
enum EnvironmentOverrides {
    static let prefix = "TRADEWIND_"

    /// Returns `tree` with every configuration variable in `environment` applied.
    static func apply(
        to tree: ConfigValue,
        environment: [String: String],
        nonConfigVariables: Set<String>
    ) throws(ConfigError) -> ConfigValue {
        var result = tree
        for name in environment.keys.sorted() where name.hasPrefix(prefix) && !nonConfigVariables.contains(name) {
            let remainder = String(name.dropFirst(prefix.count))
            guard let path = resolve(remainder, in: tree) else {
                throw .unknownKey(path: unknownPath(for: remainder, variable: name, in: tree))
            }
            let keyPath = path.joined(separator: ".")
            let base = tree.value(at: path[...])!
            let coerced = try coerce(environment[name]!, like: base, path: keyPath, variable: name)
            let merged = try ConfigMerger.merge(coerced, over: base, path: keyPath)
            result = result.setting(merged, at: path[...])
        }
        return result
    }

    /// Finds the key path whose upper-cased, underscore-joined spelling is `name`, preferring an exact
    /// key over a descent into a nested section, and longer section names over shorter ones.
    static func resolve(_ name: String, in value: ConfigValue) -> [String]? {
        guard case .object(let members) = value, value.isSchemaObject else { return nil }
        if let key = members.keys.first(where: { $0.uppercased() == name }) { return [key] }
        for key in members.keys.sorted(by: { $0.count > $1.count }) where name.hasPrefix(key.uppercased() + "_") {
            let rest = String(name.dropFirst(key.count + 1))
            if let tail = resolve(rest, in: members[key]!) { return [key] + tail }
        }
        return nil
    }

    /// Names an unresolvable variable: as a key path when it starts with a known section, else by itself.
    private static func unknownPath(for remainder: String, variable: String, in tree: ConfigValue) -> String {
        guard case .object(let members) = tree else { return variable }
        let section = members.keys
            .sorted(by: { $0.count > $1.count })
            .first { remainder.hasPrefix($0.uppercased() + "_") && members[$0]!.isSchemaObject }
        guard let section else { return variable }
        let key = remainder.dropFirst(section.count + 1).lowercased()
        return "\(section).\(key) (from \(variable))"
    }

    private static func coerce(_ text: String, like base: ConfigValue, path: String, variable: String) throws(ConfigError) -> ConfigValue {
        let found = "\(JSONEscaping.quoted(text)) from \(variable)"
        switch base {
        case .string:
            return .string(text)
        case .number:
            guard case .number(let number)? = try? JSONParser.parse(text.trimmed) else {
                throw .wrongType(path: path, expected: "number", found: found)
            }
            return .number(number)
        case .bool:
            switch text.trimmed.lowercased() {
            case "true", "1": return .bool(true)
            case "false", "0": return .bool(false)
            default: throw .wrongType(path: path, expected: "boolean (true or false)", found: found)
            }
        case .array, .object:
            do {
                return try JSONParser.parse(text)
            } catch {
                throw .invalidValue(path: path, value: found, reason: "expected JSON \(base.kind): \(error)")
            }
        case .null:
            return (try? JSONParser.parse(text)) ?? .string(text)
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    fileprivate var trimmed: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(self.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
