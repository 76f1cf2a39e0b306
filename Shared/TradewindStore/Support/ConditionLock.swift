import Glibc

/// A mutex with one condition variable (on the monotonic clock) guarding a value. The writer
/// thread sleeps on it; enqueuers and flushers wake it. Used where `Mutex` cannot wait.
final class ConditionLock<State>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Accessed only while `mutex` is held.
    private var state: State

    init(_ initial: State) {
        state = initial
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func withLock<R, E: Error>(_ body: (inout State) throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }

    /// What a waiter decided on seeing the state.
    enum Wait {
        case ready
        /// Sleep until woken or until this monotonic time (ns); nil waits for a wake-up only.
        case sleep(until: UInt64?)
    }

    /// Re-evaluates `check` (with the current monotonic time) after every wake-up until it
    /// says `.ready` or its deadline passes, then runs `body` under the lock.
    func wait<R>(_ check: (State, UInt64) -> Wait, then body: (inout State) -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            let now = MonotonicClock.now()
            guard case .sleep(let deadline) = check(state, now) else { break }
            if let deadline {
                if now >= deadline { break }
                var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
                pthread_cond_timedwait(condition, mutex, &time)
            } else {
                pthread_cond_wait(condition, mutex)
            }
        }
        return body(&state)
    }

    /// Wakes every waiter; call after changing the state (with or without the lock held).
    func broadcast() {
        pthread_cond_broadcast(condition)
    }
}
