extension ConfigSection {
    /// A nested object as a section.
    public func section(_ key: String) throws(ConfigError) -> ConfigSection {
        let value = try value(key)
        guard case .object(let members) = value else {
            throw .wrongType(path: keyPath(key), expected: "object", found: value.summary)
        }
        return ConfigSection(path: keyPath(key), members: members)
    }

    /// An array of objects, each as a section whose path is `key[index]`.
    public func sectionList(_ key: String) throws(ConfigError) -> [ConfigSection] {
        var sections: [ConfigSection] = []
        for (index, item) in try array(key).enumerated() {
            let itemPath = "\(keyPath(key))[\(index)]"
            guard case .object(let members) = item else {
                throw .wrongType(path: itemPath, expected: "object", found: item.summary)
            }
            sections.append(ConfigSection(path: itemPath, members: members))
        }
        return sections
    }

    /// An array of strings.
    public func stringList(_ key: String) throws(ConfigError) -> [String] {
        var strings: [String] = []
        for (index, item) in try array(key).enumerated() {
            guard case .string(let text) = item else {
                throw .wrongType(path: "\(keyPath(key))[\(index)]", expected: "string", found: item.summary)
            }
            strings.append(text)
        }
        return strings
    }

    /// An array of whole numbers, each within `range` when given.
    public func intList(_ key: String, range: ClosedRange<Int>? = nil) throws(ConfigError) -> [Int] {
        var numbers: [Int] = []
        for (index, item) in try array(key).enumerated() {
            numbers.append(try ConfigSection.integer(item, path: "\(keyPath(key))[\(index)]", range: range))
        }
        return numbers
    }

    /// An object whose values are all strings (e.g. a map keyed by instrument id).
    public func stringMap(_ key: String) throws(ConfigError) -> [String: String] {
        var map: [String: String] = [:]
        for (name, item) in try object(key) {
            guard case .string(let text) = item else {
                throw .wrongType(path: "\(keyPath(key)).\(name)", expected: "string", found: item.summary)
            }
            map[name] = text
        }
        return map
    }

    /// An object whose values are all exact decimals written as JSON strings.
    public func decimalStringMap(_ key: String) throws(ConfigError) -> [String: String] {
        var map: [String: String] = [:]
        for (name, item) in try object(key) {
            map[name] = try ConfigSection.decimal(item, path: "\(keyPath(key)).\(name)")
        }
        return map
    }

    private func array(_ key: String) throws(ConfigError) -> [ConfigValue] {
        let value = try value(key)
        guard case .array(let items) = value else {
            throw .wrongType(path: keyPath(key), expected: "array", found: value.summary)
        }
        return items
    }

    private func object(_ key: String) throws(ConfigError) -> [String: ConfigValue] {
        let value = try value(key)
        guard case .object(let members) = value else {
            throw .wrongType(path: keyPath(key), expected: "object", found: value.summary)
        }
        return members
    }
}
