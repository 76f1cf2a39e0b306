import Logging
import ServiceLifecycle

/// Adapts a component that owns its own thread (the bus loop) to a ServiceLifecycle `Service`:
/// `start` launches it, graceful shutdown (or cancellation) calls `stop`, and `join` awaits its end.
///
/// If the thread ends by itself before any shutdown, `run()` throws ``ThreadedServiceError/exitedEarly(name:)``
/// so the daemon stops with a failure. If the task is cancelled while joining, the thread is abandoned.
public struct ThreadedService: Service, CustomStringConvertible {
    /// The name used in logs and errors.
    public let name: String
    private let start: @Sendable () throws -> Void
    private let stop: @Sendable () -> Void
    private let join: @Sendable () async -> Void
    private let logger: Logger

    public var description: String { "ThreadedService(\(name))" }

    /// A service running the thread that `start` launches; `stop` asks it to end, `join` awaits that end.
    public init(
        name: String,
        logger: Logger = Logger(label: "tradewind.lifecycle"),
        start: @escaping @Sendable () throws -> Void,
        stop: @escaping @Sendable () -> Void,
        join: @escaping @Sendable () async -> Void
    ) {
        self.name = name
        self.logger = logger
        self.start = start
        self.stop = stop
        self.join = join
    }

    public func run() async throws {
        try start()
        let finished = CompletionSignal()
        let join = self.join
        Task {
            await join()
            finished.finish()
        }
        let threadEndedFirst = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await gracefulShutdown()
                return false
            }
            group.addTask { await finished.wait() }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if threadEndedFirst {
            guard Task.isCancelled || Task.isShuttingDownGracefully else { throw ThreadedServiceError.exitedEarly(name: name) }
            return
        }
        logger.info("stopping", metadata: ["component": "\(name)"])
        stop()
        if await finished.wait() {
            logger.info("stopped", metadata: ["component": "\(name)"])
        } else {
            logger.warning("cancelled while joining; abandoning the thread", metadata: ["component": "\(name)"])
        }
    }
}

/// Failures of a ``ThreadedService``.
public enum ThreadedServiceError: Error, Equatable, CustomStringConvertible {
    /// The thread ended although no shutdown was requested.
    case exitedEarly(name: String)

    public var description: String {
        switch self {
        case .exitedEarly(let name): "\(name): thread ended before shutdown was requested"
        }
    }
}
