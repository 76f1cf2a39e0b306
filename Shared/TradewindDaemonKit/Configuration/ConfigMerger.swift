/// Lays one configuration tree over another, checking every overlay key and type against the base.
///
/// Schema objects (snake_case keys) merge key by key and reject unknown keys; data maps (keyed by
/// instrument ids and the like), arrays and scalars are replaced whole, after a type check.
enum ConfigMerger {
    /// Returns `overlay` merged over `base`; `path` names the position of both for error messages.
    static func merge(_ overlay: ConfigValue, over base: ConfigValue, path: String) throws(ConfigError) -> ConfigValue {
        switch base {
        case .null:
            return overlay
        case .object(let baseMembers) where base.isSchemaObject:
            guard case .object(let overlayMembers) = overlay else {
                throw .wrongType(path: displayPath(path), expected: "object", found: overlay.summary)
            }
            var merged = baseMembers
            for key in overlayMembers.keys.sorted() {
                let childPath = join(path, key)
                guard let baseChild = baseMembers[key] else { throw .unknownKey(path: childPath) }
                merged[key] = try merge(overlayMembers[key]!, over: baseChild, path: childPath)
            }
            return .object(merged)
        case .object(let baseMembers):
            guard case .object(let overlayMembers) = overlay else {
                throw .wrongType(path: displayPath(path), expected: "object", found: overlay.summary)
            }
            if let kind = homogeneousKind(Array(baseMembers.values)) {
                for key in overlayMembers.keys.sorted() where overlayMembers[key]!.kind != kind {
                    throw .wrongType(path: join(path, key), expected: kind, found: overlayMembers[key]!.summary)
                }
            }
            return overlay
        case .array(let baseItems):
            guard case .array(let overlayItems) = overlay else {
                throw .wrongType(path: displayPath(path), expected: "array", found: overlay.summary)
            }
            try checkElements(overlayItems, against: baseItems, path: path)
            return overlay
        case .bool, .number, .string:
            guard overlay.sameKind(as: base) else {
                throw .wrongType(path: displayPath(path), expected: base.kind, found: overlay.summary)
            }
            return overlay
        }
    }

    /// Checks a replacement array against the shape of the default one: same scalar kind, or for
    /// arrays of schema objects, known keys only and every key that all defaults have.
    private static func checkElements(_ items: [ConfigValue], against base: [ConfigValue], path: String) throws(ConfigError) {
        guard !base.isEmpty else { return }
        guard base.allSatisfy(\.isSchemaObject) else {
            guard let kind = homogeneousKind(base) else { return }
            for (index, item) in items.enumerated() where item.kind != kind {
                throw .wrongType(path: "\(path)[\(index)]", expected: kind, found: item.summary)
            }
            return
        }
        var template: [String: ConfigValue] = [:]
        var required: Set<String>?
        for case .object(let members) in base {
            template.merge(members) { first, _ in first }
            required = required.map { $0.intersection(members.keys) } ?? Set(members.keys)
        }
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard case .object(let members) = item else {
                throw .wrongType(path: itemPath, expected: "object", found: item.summary)
            }
            for key in members.keys.sorted() {
                guard let templateValue = template[key] else { throw .unknownKey(path: "\(itemPath).\(key)") }
                _ = try merge(members[key]!, over: templateValue, path: "\(itemPath).\(key)")
            }
            for key in (required ?? []).sorted() where members[key] == nil {
                throw .missingKey(path: "\(itemPath).\(key)")
            }
        }
    }

    private static func homogeneousKind(_ values: [ConfigValue]) -> String? {
        guard let first = values.first?.kind, values.allSatisfy({ $0.kind == first }), first != "null" else { return nil }
        return first
    }

    /// `parent.key`, or `key` at the top level.
    static func join(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }

    private static func displayPath(_ path: String) -> String {
        path.isEmpty ? "(top level)" : path
    }
}
