import Synchronization

/// The port the HTTP server actually bound (useful with port 0), awaited by tests and `/v1/info`.
final class ListeningPort: Sendable {
    private struct State {
        var port: Int?
        var waiters: [CheckedContinuation<Int, Never>] = []
    }

    private let state = Mutex(State())

    /// The bound port, if the server is listening.
    var current: Int? { state.withLock { $0.port } }

    /// Records the bound port and wakes every waiter.
    func set(_ port: Int) {
        let waiters = state.withLock { state in
            state.port = port
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    /// Suspends until the server is listening, then returns its port.
    func wait() async -> Int {
        await withCheckedContinuation { continuation in
            let port = state.withLock { state -> Int? in
                if let port = state.port { return port }
                state.waiters.append(continuation)
                return nil
            }
            if let port { continuation.resume(returning: port) }
        }
    }
}
