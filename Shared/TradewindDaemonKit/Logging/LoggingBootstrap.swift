import Foundation
import Logging
import Synchronization

/// Installs ``JSONLogHandler`` as the process's swift-log backend, once.
public enum LoggingBootstrap {
    /// The variable that sets the log level (`trace` ... `critical`; default `info`).
    public static let levelVariable = "TRADEWIND_LOG_LEVEL"
    private static let installed = Mutex(false)

    /// Bootstraps swift-log with JSON lines for `service`; `level` defaults to `TRADEWIND_LOG_LEVEL` or `info`.
    /// Returns false (and changes nothing) when logging was already bootstrapped by this kit.
    @discardableResult
    public static func bootstrap(
        service: String,
        level: Logger.Level? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        sink: LogSink = .standardOutput
    ) throws(ConfigError) -> Bool {
        let resolved: Logger.Level
        if let level {
            resolved = level
        } else {
            resolved = try self.level(environment: environment)
        }
        let first = installed.withLock { installed in
            defer { installed = true }
            return !installed
        }
        guard first else { return false }
        LoggingSystem.bootstrap { label in
            JSONLogHandler(label: label, service: service, level: resolved, sink: sink)
        }
        return true
    }

    /// The level named by `TRADEWIND_LOG_LEVEL`, or `info` when unset.
    public static func level(environment: [String: String]) throws(ConfigError) -> Logger.Level {
        guard let text = environment[levelVariable], !text.isEmpty else { return .info }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let allowed = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidValue(path: levelVariable, value: text, reason: "must be one of \(allowed)")
        }
        return level
    }
}
