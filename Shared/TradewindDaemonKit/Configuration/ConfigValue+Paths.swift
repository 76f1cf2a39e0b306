extension ConfigValue {
    /// The value at a path of object keys, or nil when a key is absent.
    func value(at path: ArraySlice<String>) -> ConfigValue? {
        guard let key = path.first else { return self }
        guard case .object(let members) = self, let child = members[key] else { return nil }
        return child.value(at: path.dropFirst())
    }

    /// A copy with `value` stored at a path of object keys, creating objects along the way.
    func setting(_ value: ConfigValue, at path: ArraySlice<String>) -> ConfigValue {
        guard let key = path.first else { return value }
        var members: [String: ConfigValue] = [:]
        if case .object(let existing) = self { members = existing }
        members[key] = (members[key] ?? .null).setting(value, at: path.dropFirst())
        return .object(members)
    }
}

extension ConfigValue {
    /// Parses JSON text exactly (numbers keep their text), as tools reading the daemons' views need.
    public init(parsingJSON text: String) throws(ConfigError) {
        self = try JSONParser.parse(text)
    }

    /// The member `key` of an object; nil for other values or an absent key.
    public subscript(key: String) -> ConfigValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The members of an object, else nil.
    public var objectMembers: [String: ConfigValue]? {
        guard case .object(let members) = self else { return nil }
        return members
    }

    /// The elements of an array, else nil.
    public var arrayElements: [ConfigValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }
}
