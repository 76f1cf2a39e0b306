import Foundation
import Logging
import ServiceLifecycle

/// Runs a daemon's services in one `ServiceGroup` that shuts down gracefully on SIGTERM and SIGINT.
///
/// Services start in order and shut down in reverse: list the HTTP server first (it answers to the end)
/// and intake last (it stops first). Any service ending or failing shuts the whole group down.
public struct DaemonRunner: Sendable {
    public var services: [any Service]
    public var logger: Logger
    /// How long graceful shutdown may take before the remaining services are cancelled.
    public var gracefulShutdownTimeout: Duration

    public init(services: [any Service], logger: Logger, gracefulShutdownTimeout: Duration = .seconds(5)) {
        self.services = services
        self.logger = logger
        self.gracefulShutdownTimeout = gracefulShutdownTimeout
    }

    /// Runs until graceful shutdown completes; rethrows the first service failure.
    public func run() async throws {
        var configuration = ServiceGroupConfiguration(
            services: services.map {
                ServiceGroupConfiguration.ServiceConfiguration(
                    service: $0,
                    successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup
                )
            },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = gracefulShutdownTimeout
        try await ServiceGroup(configuration: configuration).run()
    }

    /// Runs, then ends the process: exit 0 after a clean shutdown, 1 after a failure (logged).
    public func runAndExit() async -> Never {
        do {
            try await run()
            logger.info("stopped")
            exit(0)
        } catch {
            logger.critical("stopped on failure", metadata: ["error": "\(error)"])
            exit(1)
        }
    }
}
