import Foundation
import Logging
import TradewindBus

/// Short-lived helpers shared by the bus integration tests.
enum BusTestSupport {
    static let logger: Logger = {
        var logger = Logger(label: "tradewind.bus.tests")
        logger.logLevel = .critical
        return logger
    }()

    /// A fresh short directory for ipc sockets (Unix socket paths are limited to ~107 bytes).
    static func makeSocketDirectory() throws -> String {
        let path = "/tmp/twb-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func removeDirectory(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Polls `condition` every 5 ms until it holds or `timeout` passes; returns whether it held.
    static func waitUntil(timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition()
    }

    /// Runs `body` on a thread of its own (ZeroMQ sockets must stay on one thread) and awaits it.
    static func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.start()
        }
    }

    /// Stops `loop` and awaits its exit, failing (instead of hanging) if it takes over `timeout`.
    static func stopAndJoin(_ loop: BusLoop, timeout: Duration = .seconds(2)) async -> Bool {
        loop.stop()
        let exited = await waitUntil(timeout: timeout) {
            let state = loop.health.socketState
            return state == .stopped || state == .failed || state == .idle
        }
        if exited { await loop.join() }
        return exited
    }

    static func configuration(
        service: String,
        directory: String,
        subscriptions: [BusSubscription] = [],
        heartbeatInterval: Duration = .milliseconds(100),
        heartbeatTimeout: Duration = .seconds(3),
        tickInterval: Duration? = nil
    ) -> BusLoopConfiguration {
        BusLoopConfiguration(
            service: service,
            version: "test",
            publishEndpoint: endpoint(directory, service),
            subscriptions: subscriptions,
            heartbeatInterval: heartbeatInterval,
            heartbeatTimeout: heartbeatTimeout,
            tickInterval: tickInterval)
    }

    static func endpoint(_ directory: String, _ name: String) -> String {
        "ipc://\(directory)/\(name).pub"
    }
}
