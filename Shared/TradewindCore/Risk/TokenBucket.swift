/// A token-bucket rate: up to `burst` orders at once, refilled at `perSecond` orders per second.
public struct RateLimit: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Bucket capacity, in orders.
    public var burst: Int
    /// Refill rate, in orders per second.
    public var perSecond: Int

    public init(burst: Int, perSecond: Int) {
        self.burst = burst
        self.perSecond = perSecond
    }

    /// Largest accepted `burst` and `perSecond`: keeps nano-token arithmetic far from Int64 limits.
    public static let maximum = 1_000_000

    /// Checks both values are in 1...`maximum`, naming `key.burst` or `key.perSecond`.
    public func validate(key: String) throws(ConfigurationError) {
        guard (1...Self.maximum).contains(burst) else {
            throw ConfigurationError(key: "\(key).burst", value: "\(burst)", reason: "must be in 1...\(Self.maximum)")
        }
        guard (1...Self.maximum).contains(perSecond) else {
            throw ConfigurationError(key: "\(key).perSecond", value: "\(perSecond)", reason: "must be in 1...\(Self.maximum)")
        }
    }

    public var description: String { "\(burst) burst, \(perSecond)/s" }
}

/// A token bucket counted in nano-tokens and refilled from event time, so it is exact and pure.
///
/// A bucket starts full. Refill adds `perSecond` nano-tokens per elapsed nanosecond (one token
/// per `1 / perSecond` s), capped at `burst` tokens; time going backwards refills nothing.
public struct TokenBucket: Sendable, Hashable, Codable {
    /// Nano-tokens per token.
    public static let nanoTokensPerToken: Int64 = 1_000_000_000

    /// Nano-tokens in the bucket as of `refilledAtNs`.
    public private(set) var nanoTokens: Int64
    /// Event time of the last refill (never decreases).
    public private(set) var refilledAtNs: Int64

    /// A full bucket for `rate` at `timeNs`.
    public init(full rate: RateLimit, timeNs: Int64) {
        nanoTokens = Self.capacity(rate)
        refilledAtNs = timeNs
    }

    /// A bucket restored from its two counters.
    public init(nanoTokens: Int64, refilledAtNs: Int64) {
        self.nanoTokens = nanoTokens
        self.refilledAtNs = refilledAtNs
    }

    /// Capacity of a bucket for `rate`, in nano-tokens.
    public static func capacity(_ rate: RateLimit) -> Int64 {
        Int64(rate.burst) * nanoTokensPerToken
    }

    /// Nano-tokens the bucket would hold at `timeNs`, without changing it.
    public func level(at timeNs: Int64, rate: RateLimit) -> Int64 {
        let capacity = Self.capacity(rate)
        let current = min(nanoTokens, capacity)
        guard timeNs > refilledAtNs else { return current }
        let (elapsed, elapsedOverflow) = timeNs.subtractingReportingOverflow(refilledAtNs)
        let (added, addedOverflow) = elapsed.multipliedReportingOverflow(by: Int64(rate.perSecond))
        guard !elapsedOverflow, !addedOverflow, added < capacity - current else { return capacity }
        return current + added
    }

    /// Tokens available at `timeNs` (whole tokens and fraction), for denial details.
    public func tokens(at timeNs: Int64, rate: RateLimit) -> Money {
        Money(units: level(at: timeNs, rate: rate) / (Self.nanoTokensPerToken / DecimalMath.unitsPerWhole))
    }

    /// True if one whole token is available at `timeNs`.
    public func canTake(at timeNs: Int64, rate: RateLimit) -> Bool {
        level(at: timeNs, rate: rate) >= Self.nanoTokensPerToken
    }

    /// Refills to `timeNs` (if later than the last refill).
    public mutating func refill(to timeNs: Int64, rate: RateLimit) {
        nanoTokens = level(at: timeNs, rate: rate)
        refilledAtNs = max(refilledAtNs, timeNs)
    }

    /// Refills to `timeNs` and takes one token; returns false (and takes nothing) if none is available.
    @discardableResult
    public mutating func take(at timeNs: Int64, rate: RateLimit) -> Bool {
        refill(to: timeNs, rate: rate)
        guard nanoTokens >= Self.nanoTokensPerToken else { return false }
        nanoTokens -= Self.nanoTokensPerToken
        return true
    }

    /// True if the bucket is full at its last refill (so it equals a fresh bucket and can be forgotten).
    public func isFull(rate: RateLimit) -> Bool {
        nanoTokens >= Self.capacity(rate)
    }
}
