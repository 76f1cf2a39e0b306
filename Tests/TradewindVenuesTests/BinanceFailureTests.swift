import Foundation
import Synchronization
import Testing
import TradewindCore
import TradewindVenues

/// Failures on the wire and how they are classified, retried or not, against the fake venue.
@Suite(.serialized, .fakeBinance) struct BinanceFailureTests {
    /// Records retries and the waits asked for, without sleeping.
    final class RetryLog: Sendable {
        let retries = Mutex<[(operation: String, error: VenueError, attempt: Int)]>([])
        let waits = Mutex<[Int64]>([])

        func adapter(wrapping base: any VenueAdapter, policy: RetryPolicy = fastRetry) -> RetryingVenueAdapter {
            RetryingVenueAdapter(
                wrapping: base, policy: policy, random: { 0.5 },
                sleep: { nanoseconds in self.waits.withLock { $0.append(nanoseconds) } },
                onRetry: { operation, error, attempt in self.retries.withLock { $0.append((operation, error, attempt)) } })
        }

        var kinds: [String] { retries.withLock { $0.map(\.error.kind) } }
    }

    @Test func rateLimitCarriesRetryAfterAndIsRetriedAfterWaitingThatLong() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server)
        try await server.fail(status: 429, code: -1003, message: "Too much request weight used.", path: "/api/v3/account", retryAfter: 2)
        await #expect(throws: VenueError.rateLimited(retryAfterNs: 2_000_000_000, message: "-1003 Too much request weight used.")) {
            try await adapter.account()
        }

        let log = RetryLog()
        try await server.fail(status: 429, code: -1003, message: "Too much request weight used.", path: "/api/v3/account", retryAfter: 1)
        let account = try await log.adapter(wrapping: adapter).account()
        #expect(account.canTrade)
        #expect(log.retries.withLock { $0.map(\.operation) } == ["account"])
        #expect(log.waits.withLock { $0 } == [1_000_000_000])
    }

    @Test func ipBanIsRateLimited() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server)
        try await server.fail(status: 418, code: -1003, message: "Way too much request weight used; IP banned.", path: "/api/v3/openOrders", retryAfter: 120)
        await #expect(throws: VenueError.rateLimited(retryAfterNs: 120_000_000_000, message: "-1003 Way too much request weight used; IP banned.")) {
            try await adapter.openOrders(instruments: [btcusdt])
        }
    }

    @Test func serverErrorOnSubmitIsUnknownOutcomeAndNotRetried() async throws {
        let server = try currentServer()
        let log = RetryLog()
        let adapter = log.adapter(wrapping: try binanceAdapter(server))
        let order = approved(uniqueOrderId("u500"), .buy, "0.1", limit: "50000")
        try await server.fail(status: 500, message: "Internal Server Error", path: "/api/v3/order", method: "POST", process: true)
        await #expect(throws: VenueError.unknownOutcome(message: "HTTP 500 Internal Server Error")) {
            try await adapter.submit(order)
        }
        #expect(log.kinds.isEmpty)
        let found = try await adapter.query(clientOrderId: order.clientOrderId, instrument: btcusdt)
        #expect(found.last?.snapshot?.state == .open)
        _ = try await adapter.cancel(clientOrderId: order.clientOrderId, instrument: btcusdt)
    }

    @Test func unavailableAndDisconnectedReadsAreRetried() async throws {
        let server = try currentServer()
        let log = RetryLog()
        let adapter = log.adapter(wrapping: try binanceAdapter(server))
        let order = approved(uniqueOrderId("r503"), .sell, "0.1", limit: "90000")
        _ = try await adapter.submit(order)
        try await server.fail(status: 503, message: "Service Unavailable.", path: "/api/v3/order", method: "GET")
        try await server.fail(status: 503, code: -1001, message: "Internal error; unable to process your request. Please try again.",
                              path: "/api/v3/order", method: "GET")
        let events = try await adapter.query(clientOrderId: order.clientOrderId, instrument: btcusdt)
        #expect(events.last?.snapshot?.state == .open)
        #expect(log.kinds == ["transient", "transient"])
        #expect(log.retries.withLock { $0.map(\.attempt) } == [1, 2])
        _ = try await adapter.cancel(clientOrderId: order.clientOrderId, instrument: btcusdt)
    }

    @Test func givesUpAfterMaxAttempts() async throws {
        let server = try currentServer()
        let log = RetryLog()
        let adapter = log.adapter(wrapping: try binanceAdapter(server))
        _ = try await adapter.account()
        try await server.fail(count: 4, status: 503, code: -1008, message: "Server is currently overloaded with other requests.",
                              path: "/api/v3/account")
        await #expect(throws: VenueError.transient(message: "-1008 Server is currently overloaded with other requests.")) {
            try await adapter.account()
        }
        #expect(log.kinds.count == fastRetry.maxAttempts - 1)
    }

    @Test func resyncsClockAfterTimestampRejectionAndSucceedsOnRetry() async throws {
        let server = try currentServer()
        let log = RetryLog()
        let binance = try binanceAdapter(server)
        let adapter = log.adapter(wrapping: binance)
        _ = try await adapter.account()
        let syncsBefore = try await server.state().count("GET", "/api/v3/time")

        try await server.setClockOffset(ms: 30_000)
        let account = try await adapter.account()

        #expect(account.canTrade)
        #expect(log.kinds == ["transient"])
        #expect(try await server.state().count("GET", "/api/v3/time") == syncsBefore + 1)
        // never ahead of the venue; behind by at most the round trip (the bound is only a backstop)
        let offset = try #require(binance.client.clockOffsetMs)
        #expect(offset <= 30_001 && offset > 20_000, "offset \(offset)")
        try await server.setClockOffset(ms: 0)
    }

    @Test func syncsWithVenueClockBeforeFirstSignedRequest() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server, localClockMs: { BinanceRESTClient.systemClockMs() - 3_600_000 })
        try await adapter.start()
        let offset = try #require(adapter.client.clockOffsetMs)
        #expect(offset <= 3_600_001 && offset > 3_590_000, "offset \(offset)")
        #expect(try await adapter.account().canTrade)
    }

    @Test func badSecretRejectsOrderWithSignatureError() async throws {
        let adapter = try binanceAdapter(try currentServer(), secret: "not-the-secret")
        let events = try await adapter.submit(approved(uniqueOrderId("sig"), .buy, "0.1"))
        #expect(events.map(\.name) == ["rejected"])
        #expect(events.first?.reason == OrderReason(.unauthorized, "-1022: Signature for this request is not valid."))
        await #expect(throws: VenueError.rejected(.unauthorized, code: "-1022", message: "Signature for this request is not valid.")) {
            try await adapter.account()
        }
    }

    @Test func badApiKeyIsRejected() async throws {
        let adapter = try binanceAdapter(try currentServer(), apiKey: "unknown-key")
        await #expect(throws: VenueError.rejected(.unauthorized, code: "-2015", message: "Invalid API-key, IP, or permissions for action.")) {
            try await adapter.account()
        }
    }

    @Test func sequentialRequestsReuseKeptAliveConnections() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server)
        _ = try await adapter.account()
        let before = try await server.state()
        for _ in 0..<40 {
            _ = try await adapter.account()
        }
        let after = try await server.state()
        #expect(after.requests - before.requests == 40)
        #expect(after.connections - before.connections <= 1)
    }

    @Test func refusedConnectionIsTransient() async throws {
        var configuration = binanceConfiguration(try currentServer())
        configuration.baseURL = URL(string: "http://127.0.0.1:1")!
        let adapter = try BinanceVenueAdapter(
            configuration: configuration,
            credentials: BinanceCredentials(apiKey: FakeBinanceServer.apiKey, secret: FakeBinanceServer.secret))
        let error = await #expect(throws: VenueError.self) { try await adapter.account() }
        #expect(error?.kind == "transient")
    }

    @Test func timeoutOnSubmitIsUnknownOutcomeAndOnReadTransient() async throws {
        let server = try currentServer()
        let adapter = try binanceAdapter(server, requestTimeoutMs: 250)
        try await adapter.start()
        try await server.fail(status: 200, code: 0, message: "late", path: "/api/v3/order", method: "POST", process: true, delayMs: 800)
        let submit = await #expect(throws: VenueError.self) {
            try await adapter.submit(approved(uniqueOrderId("slow"), .buy, "0.1", limit: "40000"))
        }
        #expect(submit?.kind == "unknown_outcome")
        try await server.fail(status: 200, code: 0, message: "late", path: "/api/v3/account", delayMs: 800)
        let read = await #expect(throws: VenueError.self) { try await adapter.account() }
        #expect(read?.kind == "transient")
    }
}
