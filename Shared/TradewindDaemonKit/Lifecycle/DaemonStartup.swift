import ArgumentParser
import Foundation
import Logging

/// Start-up for a daemon's main: parse options, bootstrap logging and metrics, load and validate the
/// configuration once. A config error prints one line to stderr and exits 2; `--print-config` exits 0.
public enum DaemonStartup {
    /// The exit status for a configuration error.
    public static let configErrorExitCode: Int32 = 2

    /// What start-up decided, before any process exit (the testable part of ``prepare(executable:section:arguments:environment:defaults:settings:)``).
    public enum Outcome<Settings: Sendable>: Sendable {
        case run(configuration: SuiteConfiguration, common: DaemonCommonConfiguration, settings: Settings)
        case printConfig(String)
        case configError(ConfigError)
    }

    /// Start-up for one of the suite's daemons (its executable and section from `SuiteServices`).
    public static func prepare<Settings: Sendable>(
        _ service: SuiteService, settings: (SuiteConfiguration) throws -> Settings
    ) -> DaemonContext<Settings> {
        prepare(executable: service.executable, section: service.section, settings: settings)
    }

    /// Parses `arguments`, loads the configuration, decodes `section`'s common keys and the daemon's own
    /// `settings` (a non-`ConfigError` it throws is reported against `section`); exits the process on `--help`, usage errors, config errors and `--print-config`.
    public static func prepare<Settings: Sendable>(
        executable: String,
        section: String,
        arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        defaults: String = SuiteDefaults.json,
        settings: (SuiteConfiguration) throws -> Settings
    ) -> DaemonContext<Settings> {
        let options: DaemonOptions
        do {
            options = try DaemonOptions.parse(arguments)
        } catch {
            exitForArguments(error, executable: executable)
        }
        let service = serviceName(executable: executable)
        do {
            try LoggingBootstrap.bootstrap(service: service, environment: environment)
        } catch {
            failConfiguration(executable: executable, error: error)
        }
        let metrics = MetricsBootstrap.bootstrap()
        metrics.publishBuildInfo(
            version: TradewindVersion.current, environment: environment,
            executableDirectory: BuildCommit.executableDirectory)
        let outcome = evaluate(options: options, section: section, environment: environment, defaults: defaults, settings: settings)
        switch outcome {
        case .configError(let error):
            failConfiguration(executable: executable, error: error)
        case .printConfig(let text):
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
            exit(0)
        case .run(let configuration, let common, let decoded):
            do {
                try CPUAffinity.pin(to: common.cpuAffinity)
            } catch {
                failConfiguration(executable: executable, error: .invalidValue(
                    path: "\(section).cpu_affinity", value: "\(common.cpuAffinity)", reason: error.description))
            }
            return DaemonContext(
                executable: executable,
                service: service,
                configuration: configuration,
                common: common,
                settings: decoded,
                logger: Logger(label: "tradewind.\(service)"),
                metrics: metrics
            )
        }
    }

    /// Loads and validates the configuration for `options` without touching the process.
    public static func evaluate<Settings: Sendable>(
        options: DaemonOptions,
        section: String,
        environment: [String: String],
        defaults: String = SuiteDefaults.json,
        settings: (SuiteConfiguration) throws -> Settings
    ) -> Outcome<Settings> {
        do {
            let configuration = try SuiteConfiguration.load(
                configFile: options.configFile(environment: environment),
                defaults: defaults,
                environment: environment
            )
            let common = try DaemonCommonConfiguration(section: try configuration.section(section))
            let decoded = try ConfigError.validate(section, value: "") { try settings(configuration) }
            if options.printConfig { return .printConfig(configuration.jsonText()) }
            return .run(configuration: configuration, common: common, settings: decoded)
        } catch {
            return .configError(error)
        }
    }

    /// The single stderr line for a config error: `tradewind-<daemon>: config error: <key>: <problem>`.
    public static func errorLine(executable: String, error: ConfigError) -> String {
        "\(executable): config error: \(error.description)"
    }

    /// `risk-manager` for `tradewind-risk-manager`.
    public static func serviceName(executable: String) -> String {
        executable.hasPrefix("tradewind-") ? String(executable.dropFirst("tradewind-".count)) : executable
    }

    /// Prints help (exit 0) or a usage error (exit 64) under the executable's own name.
    private static func exitForArguments(_ error: any Error, executable: String) -> Never {
        let code = DaemonOptions.exitCode(for: error)
        let message = DaemonOptions.fullMessage(for: error)
            .replacingOccurrences(of: "USAGE: daemon ", with: "USAGE: \(executable) ")
            .replacingOccurrences(of: "Usage: daemon ", with: "Usage: \(executable) ")
            .replacingOccurrences(of: "'daemon --help'", with: "'\(executable) --help'")
        let handle = code == .success ? FileHandle.standardOutput : FileHandle.standardError
        handle.write(Data((message + "\n").utf8))
        exit(code.rawValue)
    }

    /// Prints the one-line configuration error to stderr and exits with ``configErrorExitCode``.
    public static func failConfiguration(executable: String, error: ConfigError) -> Never {
        FileHandle.standardError.write(Data((errorLine(executable: executable, error: error) + "\n").utf8))
        exit(configErrorExitCode)
    }
}
