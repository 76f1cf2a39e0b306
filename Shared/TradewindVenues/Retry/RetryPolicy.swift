import Foundation
import TradewindCore

/// Exponential backoff with full jitter: before retry `n` (1 = the first retry) wait a uniform
/// random time in `0...min(maxDelayMs, initialDelayMs × multiplier^(n-1))`, and give up once
/// `maxAttempts` calls (the first included) have failed.
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// Backoff cap before the first retry.
    public var initialDelayMs: Int64
    /// Growth of the cap per retry (≥ 1).
    public var multiplier: Double
    /// Largest backoff cap.
    public var maxDelayMs: Int64
    /// Total calls, the first one included (1 = never retry).
    public var maxAttempts: Int
    /// A rate limit asking to wait longer than this is not retried but reported to the caller.
    public var maxRetryAfterMs: Int64

    public init(
        initialDelayMs: Int64 = 100, multiplier: Double = 2, maxDelayMs: Int64 = 5_000, maxAttempts: Int = 5,
        maxRetryAfterMs: Int64 = 60_000
    ) {
        self.initialDelayMs = initialDelayMs
        self.multiplier = multiplier
        self.maxDelayMs = maxDelayMs
        self.maxAttempts = maxAttempts
        self.maxRetryAfterMs = maxRetryAfterMs
    }

    /// Checks ranges, naming the offending key.
    public func validate() throws(ConfigurationError) {
        guard (0...3_600_000).contains(initialDelayMs) else {
            throw ConfigurationError(key: "retry.initialDelayMs", value: "\(initialDelayMs)", reason: "must be within 0...3600000")
        }
        guard multiplier.isFinite, (1...100).contains(multiplier) else {
            throw ConfigurationError(key: "retry.multiplier", value: "\(multiplier)", reason: "must be within 1...100")
        }
        guard (initialDelayMs...3_600_000).contains(maxDelayMs) else {
            throw ConfigurationError(
                key: "retry.maxDelayMs", value: "\(maxDelayMs)", reason: "must be within initialDelayMs...3600000")
        }
        guard (1...100).contains(maxAttempts) else {
            throw ConfigurationError(key: "retry.maxAttempts", value: "\(maxAttempts)", reason: "must be within 1...100")
        }
        guard (0...86_400_000).contains(maxRetryAfterMs) else {
            throw ConfigurationError(
                key: "retry.maxRetryAfterMs", value: "\(maxRetryAfterMs)", reason: "must be within 0...86400000")
        }
    }

    /// The backoff cap before retry `retry` (1-based), in nanoseconds.
    public func capNs(retry: Int) -> Int64 {
        let growth = Foundation.pow(multiplier, Double(max(0, retry - 1)))
        let capMs = min(Double(maxDelayMs), Double(initialDelayMs) * growth)
        return Int64(capMs) * 1_000_000
    }

    /// The jittered delay before retry `retry`: `unit` (uniform in 0...1) times the cap.
    public func delayNs(retry: Int, unit: Double) -> Int64 {
        let clamped = unit.isFinite ? min(1, max(0, unit)) : 0
        return Int64((Double(capNs(retry: retry)) * clamped).rounded(.down))
    }
}
