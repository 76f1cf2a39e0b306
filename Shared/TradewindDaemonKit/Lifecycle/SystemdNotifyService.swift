import Logging
import ServiceLifecycle

/// Tells systemd (`Type=notify`) when the daemon is ready and when it is stopping: READY=1 once
/// `isReady` holds (polled every 100 ms), STOPPING=1 when graceful shutdown begins. Not under
/// systemd it only waits for shutdown. Listed last among a daemon's services, so it hears the
/// shutdown first.
struct SystemdNotifyService: Service {
    let notifier: SystemdNotifier
    let logger: Logger
    let isReady: @Sendable () -> Bool

    func run() async throws {
        guard notifier.isActive else {
            try? await gracefulShutdown()
            return
        }
        while !Task.isShuttingDownGracefully, !Task.isCancelled, !isReady() {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if !Task.isShuttingDownGracefully, !Task.isCancelled {
            notifier.notify("READY=1\nSTATUS=ready")
            logger.info("systemd notified: ready", metadata: [
                "watchdog_ping_ms": "\(notifier.watchdogPingIntervalNs.map { "\($0 / 1_000_000)" } ?? "off")",
            ])
            try? await gracefulShutdown()
        }
        notifier.notify("STOPPING=1\nSTATUS=stopping")
    }
}
