import TradewindCore

/// Wraps a venue adapter and retries the calls that failed with a retryable `VenueError`
/// (`rateLimited`, `transient`) after a jittered exponential backoff (`RetryPolicy`); a rate
/// limit waits at least its `retryAfterNs`. `unknownOutcome`, `rejected` and `notFound` are
/// never retried: they go straight back to the caller.
public struct RetryingVenueAdapter: VenueAdapter {
    /// Waits the given nanoseconds; throwing (e.g. on task cancellation) stops the retries.
    public typealias Sleep = @Sendable (_ nanoseconds: Int64) async throws -> Void
    /// Told before each retry: the operation ("submit", "cancel", "query", "openOrders", "trades",
    /// "account", "poll"), the error, and the number of the attempt that failed (1 = the first call).
    public typealias RetryObserver = @Sendable (_ operation: String, _ error: VenueError, _ attempt: Int) -> Void
    /// Uniform random numbers in 0...1 for the jitter.
    public typealias RandomSource = @Sendable () -> Double

    public let base: any VenueAdapter
    public let policy: RetryPolicy
    private let random: RandomSource
    private let sleep: Sleep
    private let onRetry: RetryObserver

    public init(
        wrapping base: any VenueAdapter, policy: RetryPolicy,
        random: @escaping RandomSource = { Double.random(in: 0...1) },
        sleep: @escaping Sleep = { nanoseconds in try await Task.sleep(nanoseconds: UInt64(max(0, nanoseconds))) },
        onRetry: @escaping RetryObserver = { _, _, _ in }
    ) {
        self.base = base
        self.policy = policy
        self.random = random
        self.sleep = sleep
        self.onRetry = onRetry
    }

    public var name: String { base.name }

    public func submit(_ order: ApprovedOrder) async throws(VenueError) -> [VenueEvent] {
        try await retrying("submit") { () async throws(VenueError) in try await base.submit(order) }
    }

    public func cancel(clientOrderId: String, instrument: InstrumentId) async throws(VenueError) -> [VenueEvent] {
        try await retrying("cancel") { () async throws(VenueError) in
            try await base.cancel(clientOrderId: clientOrderId, instrument: instrument)
        }
    }

    public func query(clientOrderId: String, instrument: InstrumentId) async throws(VenueError) -> [VenueEvent] {
        try await retrying("query") { () async throws(VenueError) in
            try await base.query(clientOrderId: clientOrderId, instrument: instrument)
        }
    }

    public func openOrders(instruments: [InstrumentId]) async throws(VenueError) -> [VenueOrderSnapshot] {
        try await retrying("openOrders") { () async throws(VenueError) in try await base.openOrders(instruments: instruments) }
    }

    public func trades(instrument: InstrumentId, sinceNs: Int64) async throws(VenueError) -> [VenueTrade] {
        try await retrying("trades") { () async throws(VenueError) in
            try await base.trades(instrument: instrument, sinceNs: sinceNs)
        }
    }

    public func account() async throws(VenueError) -> VenueAccount {
        try await retrying("account") { () async throws(VenueError) in try await base.account() }
    }

    public func onQuote(_ quote: Quote) -> [VenueEvent] {
        base.onQuote(quote)
    }

    public func poll(openOrders: [Order]) async throws(VenueError) -> [VenueEvent] {
        try await retrying("poll") { () async throws(VenueError) in try await base.poll(openOrders: openOrders) }
    }

    /// The wait before retry `retry` after `error`, or nil when the error must not be retried.
    public func delayNs(after error: VenueError, retry: Int) -> Int64? {
        guard error.isRetryable, retry < policy.maxAttempts else { return nil }
        let backoff = policy.delayNs(retry: retry, unit: random())
        guard case .rateLimited(let retryAfterNs?, _) = error else { return backoff }
        let (limit, overflow) = policy.maxRetryAfterMs.multipliedReportingOverflow(by: 1_000_000)
        guard overflow || retryAfterNs <= limit else { return nil }
        return max(backoff, retryAfterNs)
    }

    private func retrying<Result>(
        _ operation: String, _ call: () async throws(VenueError) -> Result
    ) async throws(VenueError) -> Result {
        var attempt = 1
        while true {
            do throws(VenueError) {
                return try await call()
            } catch let failure {
                guard let delay = delayNs(after: failure, retry: attempt) else { throw failure }
                onRetry(operation, failure, attempt)
                do {
                    try await sleep(delay)
                } catch {
                    throw failure
                }
                attempt += 1
            }
        }
    }
}
