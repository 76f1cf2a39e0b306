import Synchronization
import Testing
import TradewindCore
import TradewindVenues

/// A venue whose `account()` fails with the scripted errors, in order, then succeeds.
final class ScriptedVenue: VenueAdapter {
    private let failures: Mutex<[VenueError]>
    let calls = Mutex(0)

    init(failing failures: [VenueError]) {
        self.failures = Mutex(failures)
    }

    var name: String { "SCRIPTED" }

    private func next() throws(VenueError) {
        calls.withLock { $0 += 1 }
        if let failure = failures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { throw failure }
    }

    func submit(_ order: ApprovedOrder) async throws(VenueError) -> [VenueEvent] {
        try next()
        return [.accepted(clientOrderId: order.clientOrderId, venueOrderId: "1", timeNs: 1)]
    }

    func cancel(clientOrderId: String, instrument: InstrumentId) async throws(VenueError) -> [VenueEvent] {
        try next()
        return [.canceled(clientOrderId: clientOrderId, reason: OrderReason(.canceled), timeNs: 1)]
    }

    func query(clientOrderId: String, instrument: InstrumentId) async throws(VenueError) -> [VenueEvent] {
        try next()
        return [.notFound(clientOrderId: clientOrderId, timeNs: 1)]
    }

    func openOrders(instruments: [InstrumentId]) async throws(VenueError) -> [VenueOrderSnapshot] {
        try next()
        return []
    }

    func trades(instrument: InstrumentId, sinceNs: Int64) async throws(VenueError) -> [VenueTrade] {
        try next()
        return []
    }

    func account() async throws(VenueError) -> VenueAccount {
        try next()
        return VenueAccount(balances: [], canTrade: true, timeNs: 7)
    }

    func onQuote(_ quote: Quote) -> [VenueEvent] { [] }

    func poll(openOrders: [Order]) async throws(VenueError) -> [VenueEvent] {
        try next()
        return []
    }
}

@Suite struct RetryPolicyTests {
    @Test func capGrowsExponentiallyUpToMaximum() {
        let policy = RetryPolicy(initialDelayMs: 100, multiplier: 2, maxDelayMs: 1_000, maxAttempts: 10)
        #expect((1...6).map { policy.capNs(retry: $0) / 1_000_000 } == [100, 200, 400, 800, 1_000, 1_000])
    }

    @Test func fullJitterScalesTheCapByTheRandomUnit() {
        let policy = RetryPolicy(initialDelayMs: 100, multiplier: 3, maxDelayMs: 10_000, maxAttempts: 10)
        #expect(policy.delayNs(retry: 2, unit: 0) == 0)
        #expect(policy.delayNs(retry: 2, unit: 0.5) == 150_000_000)
        #expect(policy.delayNs(retry: 2, unit: 1) == 300_000_000)
        #expect(policy.delayNs(retry: 2, unit: 7) == 300_000_000)
    }
}

@Suite struct RetryingVenueAdapterTests {
    private static let policy = RetryPolicy(initialDelayMs: 10, multiplier: 2, maxDelayMs: 1_000, maxAttempts: 4, maxRetryAfterMs: 5_000)

    private final class Recorder: Sendable {
        let waits = Mutex<[Int64]>([])
        let retries = Mutex<[String]>([])
    }

    private static func retrying(_ venue: ScriptedVenue, _ recorder: Recorder) -> RetryingVenueAdapter {
        RetryingVenueAdapter(
            wrapping: venue, policy: policy, random: { 0.5 },
            sleep: { nanoseconds in recorder.waits.withLock { $0.append(nanoseconds) } },
            onRetry: { operation, error, attempt in recorder.retries.withLock { $0.append("\(operation) \(error.kind) \(attempt)") } })
    }

    @Test func retriesTransientErrorsWithJitteredBackoffUntilSuccess() async throws {
        let venue = ScriptedVenue(failing: [.transient(message: "a"), .transient(message: "b")])
        let recorder = Recorder()
        let account = try await Self.retrying(venue, recorder).account()
        #expect(account.timeNs == 7)
        #expect(recorder.waits.withLock { $0 } == [5_000_000, 10_000_000])
        #expect(recorder.retries.withLock { $0 } == ["account transient 1", "account transient 2"])
    }

    @Test(arguments: [
        VenueError.unknownOutcome(message: "timeout"),
        .rejected(.rejectedAtVenue, code: "-2010", message: "no"),
        .notFound(code: "-2013", message: "none"),
    ])
    func neverRetriesWhatIsUnsafeOrFinal(error: VenueError) async {
        let venue = ScriptedVenue(failing: [error])
        let recorder = Recorder()
        await #expect(throws: error) {
            try await Self.retrying(venue, recorder).submit(approved("TW-x", .buy, "1"))
        }
        #expect(venue.calls.withLock { $0 } == 1)
        #expect(recorder.retries.withLock { $0 }.isEmpty)
    }

    @Test func rateLimitWaitsAtLeastRetryAfter() async throws {
        let venue = ScriptedVenue(failing: [.rateLimited(retryAfterNs: 2_000_000_000, message: "slow"), .rateLimited(retryAfterNs: nil, message: "slow")])
        let recorder = Recorder()
        _ = try await Self.retrying(venue, recorder).openOrders(instruments: [btcusdt])
        #expect(recorder.waits.withLock { $0 } == [2_000_000_000, 10_000_000])
        #expect(recorder.retries.withLock { $0 } == ["openOrders rate_limited 1", "openOrders rate_limited 2"])
    }

    @Test func doesNotWaitOutRetryAfterBeyondTheLimit() async {
        let venue = ScriptedVenue(failing: [.rateLimited(retryAfterNs: 600_000_000_000, message: "banned")])
        let recorder = Recorder()
        await #expect(throws: VenueError.rateLimited(retryAfterNs: 600_000_000_000, message: "banned")) {
            try await Self.retrying(venue, recorder).account()
        }
        #expect(venue.calls.withLock { $0 } == 1)
    }

    @Test func givesUpAfterMaxAttemptsWithTheLastError() async {
        let venue = ScriptedVenue(failing: (1...5).map { .transient(message: "t\($0)") })
        let recorder = Recorder()
        await #expect(throws: VenueError.transient(message: "t4")) {
            try await Self.retrying(venue, recorder).poll(openOrders: [])
        }
        #expect(venue.calls.withLock { $0 } == 4)
        #expect(recorder.retries.withLock { $0 }.count == 3)
    }

    @Test func stopsWhenTheWaitIsInterrupted() async {
        let venue = ScriptedVenue(failing: [.transient(message: "a")])
        let adapter = RetryingVenueAdapter(
            wrapping: venue, policy: Self.policy, random: { 0 }, sleep: { _ in throw CancellationError() })
        await #expect(throws: VenueError.transient(message: "a")) {
            try await adapter.cancel(clientOrderId: "TW-x", instrument: btcusdt)
        }
        #expect(venue.calls.withLock { $0 } == 1)
    }

    @Test func passesQuotesAndNameThrough() {
        let adapter = RetryingVenueAdapter(wrapping: ScriptedVenue(failing: []), policy: Self.policy)
        #expect(adapter.name == "SCRIPTED")
    }
}
