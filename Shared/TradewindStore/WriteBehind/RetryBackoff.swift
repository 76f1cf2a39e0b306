/// Exponential backoff with jitter: each delay is drawn from [d/2, d], d doubling from the
/// minimum to the maximum, so many writers recovering together do not retry in lockstep.
struct RetryBackoff {
    let minimum: UInt64
    let maximum: UInt64
    private(set) var attempts = 0

    init(minimum: Duration, maximum: Duration) {
        self.minimum = max(1, MonotonicClock.nanoseconds(minimum))
        self.maximum = max(self.minimum, MonotonicClock.nanoseconds(maximum))
    }

    /// The next delay in nanoseconds.
    mutating func next() -> UInt64 {
        let ceiling = attempts >= 40 ? maximum : min(maximum, minimum << UInt64(attempts))
        attempts += 1
        return ceiling / 2 + UInt64.random(in: 0...(ceiling - ceiling / 2))
    }

    mutating func reset() { attempts = 0 }
}
