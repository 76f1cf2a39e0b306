import ArgumentParser
import Foundation

/// The command-line options every daemon takes: `--config FILE` (or `TRADEWIND_CONFIG`) and `--print-config`.
public struct DaemonOptions: ParsableArguments, Sendable {
    /// The variable that names the config file when `--config` is absent.
    public static let configVariable = "TRADEWIND_CONFIG"

    @Option(name: .long, help: "The suite configuration file (JSON); defaults to $TRADEWIND_CONFIG, else built-in defaults.")
    public var config: String?

    @Flag(name: .long, help: "Print the merged, validated configuration as JSON and exit.")
    public var printConfig = false

    public init() {}

    /// The config file to read: `--config`, else a non-empty `TRADEWIND_CONFIG`, else none.
    public func configFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let config { return config }
        guard let fromEnvironment = environment[Self.configVariable], !fromEnvironment.isEmpty else { return nil }
        return fromEnvironment
    }
}
