import Foundation

/// The suite's merged configuration: defaults, then the `--config` file, then `TRADEWIND_*` variables.
public struct SuiteConfiguration: Sendable {
    /// The merged tree (a JSON object with a member per daemon section).
    public let tree: ConfigValue

    /// `TRADEWIND_` variables that are not configuration keys and so are never treated as overrides.
    public static let nonConfigVariables: Set<String> = [
        "TRADEWIND_CONFIG", "TRADEWIND_LOG_LEVEL", "TRADEWIND_DATABASE_URL", "TRADEWIND_RUN_DIR",
        "TRADEWIND_API_TOKEN", "TRADEWIND_API_TOKEN_FILE",
        "TRADEWIND_BINANCE_API_KEY", "TRADEWIND_BINANCE_API_KEY_FILE", "TRADEWIND_BINANCE_API_SECRET",
        "TRADEWIND_BINANCE_API_SECRET_FILE", "TRADEWIND_BIN", "TRADEWIND_PG_PORT", "TRADEWIND_TEST_DATABASE_URL",
        "TRADEWIND_TEST_PG_PORT", "TRADEWIND_CRASH_AT", "TRADEWIND_ROOT", "TRADEWIND_BUILD_COMMIT",
    ]

    /// Layers `fileText` (the contents of `fileName`, if any) and then `environment` over `defaults`.
    public init(
        defaults: String = SuiteDefaults.json,
        fileText: String? = nil,
        fileName: String = "config",
        environment: [String: String] = [:],
        nonConfigVariables: Set<String> = SuiteConfiguration.nonConfigVariables
    ) throws(ConfigError) {
        let base: ConfigValue
        do {
            base = try JSONParser.parse(defaults)
        } catch {
            throw error.within(source: "embedded defaults")
        }
        guard base.isSchemaObject else {
            throw .wrongType(path: "(embedded defaults)", expected: "object with snake_case keys", found: base.summary)
        }
        var tree = base
        if let fileText {
            let overlay: ConfigValue
            do {
                overlay = try JSONParser.parse(fileText)
            } catch {
                throw error.within(source: fileName)
            }
            tree = try ConfigMerger.merge(overlay, over: base, path: "")
        }
        self.tree = try EnvironmentOverrides.apply(
            to: tree,
            environment: environment,
            nonConfigVariables: nonConfigVariables
        )
    }

    /// Reads `configFile` (when given) and layers it and the process environment over `defaults`.
    public static func load(
        configFile: String?,
        defaults: String = SuiteDefaults.json,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        nonConfigVariables: Set<String> = SuiteConfiguration.nonConfigVariables
    ) throws(ConfigError) -> SuiteConfiguration {
        let fileText = try configFile.map { path throws(ConfigError) in try readFile(path) }
        return try SuiteConfiguration(
            defaults: defaults,
            fileText: fileText,
            fileName: configFile ?? "config",
            environment: environment,
            nonConfigVariables: nonConfigVariables
        )
    }

    /// The top-level section named `name` (e.g. `risk_manager`).
    public func section(_ name: String) throws(ConfigError) -> ConfigSection {
        try root.section(name)
    }

    /// The whole tree as a section, for top-level values such as `instruments`.
    public var root: ConfigSection {
        guard case .object(let members) = tree else { return ConfigSection(path: "", members: [:]) }
        return ConfigSection(path: "", members: members)
    }

    /// The merged configuration as JSON with sorted keys, as `--print-config` shows it.
    public func jsonText(pretty: Bool = true) -> String {
        tree.jsonText(pretty: pretty)
    }

    private static func readFile(_ path: String) throws(ConfigError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadableFile(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .unreadableFile(path: path, reason: "is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableFile(path: path, reason: "permission denied or read error")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadableFile(path: path, reason: "not UTF-8 text")
        }
        return text
    }
}
