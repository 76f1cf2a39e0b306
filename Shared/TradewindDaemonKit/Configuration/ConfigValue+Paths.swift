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
