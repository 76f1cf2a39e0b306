import Foundation
import Logging
import Metrics
import Synchronization

/// A daemon's bus event loop: one dedicated thread owns the PUB socket and every SUB socket
/// for its whole life, polls them, validates what arrives, calls the handler, publishes
/// heartbeats, and runs work submitted from other threads. Everything else here is thread-safe.
public final class BusLoop: Sendable {
    public let configuration: BusLoopConfiguration
    let logger: Logger
    // Confinement: after init the handler is touched only on the loop thread (LoopRunner).
    nonisolated(unsafe) let handler: any BusHandler
    private let stopFlag = Atomic<Bool>(false)
    private let lifecycle: Mutex<Lifecycle>
    private let healthState: Mutex<BusHealth>
    /// Wakes the loop thread's poll when work is submitted (nil if the OS refused a descriptor:
    /// submitted work then waits for the next poll timeout, at most 10 ms).
    let wake: WakeSignal?
    private let refusedSubmissions = Counter(label: BusMetrics.submissionsRefused)
    /// Called on the loop thread after each heartbeat it publishes (proof the loop turns).
    private let heartbeatObserver = Mutex<(@Sendable (Int64) -> Void)?>(nil)

    private struct Lifecycle {
        enum Phase { case idle, starting, running, finished }
        var phase: Phase = .idle
        var inbox: [@Sendable (BusLoopContext) -> Void] = []
        var joiners: [CheckedContinuation<Void, Never>] = []
    }

    private enum Submission { case accepted, stopped, full }

    /// Creates a loop; nothing opens until `start()`. The handler is then used only on the loop thread.
    public init(configuration: BusLoopConfiguration, handler: any BusHandler, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.lifecycle = Mutex(Lifecycle())
        self.wake = try? WakeSignal()
        self.healthState = Mutex(BusHealth(
            service: configuration.service,
            publishEndpoint: configuration.publishEndpoint,
            subscribedEndpoints: configuration.subscriptions.map(\.endpoint)))
    }

    /// Calls `observer` on the loop thread with the time of every heartbeat it publishes: a loop
    /// wedged in a handler publishes none (the systemd watchdog is fed from here). Set before `start()`.
    public func observeHeartbeats(_ observer: @escaping @Sendable (Int64) -> Void) {
        heartbeatObserver.withLock { $0 = observer }
    }

    func heartbeatPublished(nowNs: Int64) {
        heartbeatObserver.withLock { $0 }?(nowNs)
    }

    /// Starts the loop thread and waits until it has bound the PUB socket and connected the
    /// SUB sockets; a bind or connect failure is thrown here and the thread exits. Once only.
    public func start() throws(BusError) {
        try configuration.validate()
        let phase = lifecycle.withLock { state -> Lifecycle.Phase in
            let phase = state.phase
            if phase == .idle { state.phase = .starting }
            return phase
        }
        switch phase {
        case .idle: break
        case .finished: throw .loopThreadFailed(service: configuration.service, reason: "stopped before it started")
        case .starting, .running: throw .alreadyStarted(service: configuration.service)
        }
        let signal = StartSignal()
        let thread = Thread { [self] in runThread(signal) }
        thread.start()
        if let error = signal.wait() { throw error }
    }

    /// Asks the loop to stop: it exits within one poll interval (≤ 10 ms), publishes nothing
    /// more, closes its sockets and terminates its context. Thread-safe and idempotent.
    public func stop() {
        stopFlag.store(true, ordering: .releasing)
        let joiners = lifecycle.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard state.phase == .idle else { return [] }
            state.phase = .finished
            defer { state.joiners = [] }
            return state.joiners
        }
        joiners.forEach { $0.resume() }
    }

    /// Returns once the loop thread has fully exited (or at once if the loop never started and
    /// was stopped). Waits on a continuation; it never blocks a cooperative thread.
    public func join() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = lifecycle.withLock { state -> Bool in
                if state.phase == .finished { return true }
                state.joiners.append(continuation)
                return false
            }
            if finished { continuation.resume() }
        }
    }

    /// Queues `work` to run on the loop thread at its next iteration (e.g. a kill switch from
    /// HTTP), in submission order. Returns false, dropping the work, once the loop is stopping or
    /// stopped, or while `inboxCapacity` items are already waiting (counted and logged).
    @discardableResult
    public func submit(_ work: @escaping @Sendable (BusLoopContext) -> Void) -> Bool {
        guard !isStopRequested else { return false }
        let outcome = lifecycle.withLock { state -> Submission in
            guard state.phase != .finished else { return .stopped }
            guard state.inbox.count < configuration.inboxCapacity else { return .full }
            state.inbox.append(work)
            return .accepted
        }
        switch outcome {
        case .accepted:
            wake?.signal()
            return true
        case .stopped:
            return false
        case .full:
            refuse()
            return false
        }
    }

    /// Counts a submission refused for a full inbox; logs the 1st, 2nd, 4th, 8th… to bound log volume.
    private func refuse() {
        refusedSubmissions.increment()
        let count = healthState.withLock { health in
            health.submissionsRefused += 1
            return health.submissionsRefused
        }
        if count & (count - 1) == 0 {
            logger.warning("bus loop inbox full; submitted work refused", metadata: [
                "capacity": "\(configuration.inboxCapacity)", "refused": "\(count)",
            ])
        }
    }

    /// A thread-safe snapshot of sockets, counters and upstream heartbeat freshness.
    public var health: BusHealth { healthState.withLock { $0 } }

    var isStopRequested: Bool { stopFlag.load(ordering: .acquiring) }

    func updateHealth(_ update: (inout BusHealth) -> Void) {
        healthState.withLock { update(&$0) }
    }

    func takeInbox() -> [@Sendable (BusLoopContext) -> Void] {
        lifecycle.withLock { state in
            guard !state.inbox.isEmpty else { return [] }
            defer { state.inbox = [] }
            return state.inbox
        }
    }

    private func runThread(_ signal: StartSignal) {
        Thread.current.name = "bus-\(configuration.service)"
        let runner: LoopRunner
        do {
            runner = try LoopRunner(loop: self)
        } catch {
            updateHealth { $0.socketState = .failed; $0.lastError = error.description }
            logger.error("bus loop failed to start", metadata: ["error": "\(error)"])
            finish()
            signal.report(error)
            return
        }
        lifecycle.withLock { $0.phase = .running }
        updateHealth { $0.socketState = .running }
        signal.report(nil)
        runner.run()
        runner.shutdown()
        updateHealth { $0.socketState = .stopped }
        finish()
    }

    private func finish() {
        let joiners = lifecycle.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.phase = .finished
            state.inbox = []
            defer { state.joiners = [] }
            return state.joiners
        }
        joiners.forEach { $0.resume() }
    }
}

extension BusLoop {
    /// Runs `work` on the loop thread at its next iteration and returns its result (e.g. a control
    /// request from HTTP); nil, without running it, once the loop is stopping or its inbox is full.
    public func perform<T: Sendable>(_ work: @escaping @Sendable (BusLoopContext) -> T) async -> T? {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let accepted = submit { context in continuation.resume(returning: work(context)) }
            if !accepted { continuation.resume(returning: nil) }
        }
    }
}
