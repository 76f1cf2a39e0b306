import Foundation
import Synchronization
import TradewindDaemonKit

/// A stand-in for the bus loop: a real thread that spins until stopped (or until told to die early).
final class FakeLoopThread: Sendable {
    private struct State {
        var running = false
        var stopRequested = false
        var events: [String] = []
        var joiners: [CheckedContinuation<Void, Never>] = []
        var finished = false
    }

    private let state = Mutex(State())
    private let dieAfter: Duration?

    init(dieAfter: Duration? = nil) {
        self.dieAfter = dieAfter
    }

    var events: [String] { state.withLock { $0.events } }

    func start() throws {
        state.withLock {
            $0.running = true
            $0.events.append("start")
        }
        let dieAfter = self.dieAfter
        let thread = Thread { [self] in
            let deadline = dieAfter.map { ContinuousClock.now + $0 }
            while !state.withLock({ $0.stopRequested }) {
                if let deadline, ContinuousClock.now >= deadline { break }
                Thread.sleep(forTimeInterval: 0.005)
            }
            let joiners = state.withLock { state in
                state.finished = true
                state.events.append("exited")
                defer { state.joiners.removeAll() }
                return state.joiners
            }
            for joiner in joiners { joiner.resume() }
        }
        thread.start()
    }

    func stop() {
        state.withLock {
            $0.stopRequested = true
            $0.events.append("stop")
        }
    }

    func join() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if !state.finished { state.joiners.append(continuation) }
                return state.finished
            }
            if done { continuation.resume() }
        }
        state.withLock { $0.events.append("joined") }
    }

    func service() -> ThreadedService {
        ThreadedService(name: "fake-loop", start: { try self.start() }, stop: { self.stop() }, join: { await self.join() })
    }
}
