import Dispatch
import Synchronization

/// Hands the loop thread's start-up outcome back to the thread blocked in `BusLoop.start()`.
final class StartSignal: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let outcome = Mutex<BusError?>(nil)

    func report(_ error: BusError?) {
        outcome.withLock { $0 = error }
        semaphore.signal()
    }

    /// Blocks until `report` runs; returns the start-up error, if any.
    func wait() -> BusError? {
        semaphore.wait()
        return outcome.withLock { $0 }
    }
}
