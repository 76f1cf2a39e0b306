import Testing
@testable import TradewindCore

@Suite struct FeedConnectionTests {
    let ms: Int64 = 1_000_000
    var configuration: FeedConnection.Configuration {
        .init(staleAfterNs: 5_000 * ms, connectTimeoutNs: 2_000 * ms, initialBackoffNs: 400 * ms, maxBackoffNs: 10_000 * ms, rotateAfterNs: 60_000 * ms)
    }

    /// A connection that opened at `at` and received one message.
    func streaming(at time: Int64) -> FeedConnection {
        var connection = FeedConnection(configuration: configuration, seed: 1)
        _ = connection.apply(.start(timeNs: time))
        _ = connection.apply(.opened(timeNs: time))
        _ = connection.apply(.message(timeNs: time))
        return connection
    }

    @Test func connectsOnStartAndGoesLiveWithTheFirstMessage() {
        var connection = FeedConnection(configuration: configuration, seed: 1)
        #expect(connection.apply(.start(timeNs: 0)) == [.connect(attempt: 0)])
        #expect(connection.apply(.opened(timeNs: 10 * ms)) == [])
        #expect(connection.apply(.message(timeNs: 11 * ms)) == [.feedState(.live, reason: "receiving")])
        #expect(connection.apply(.message(timeNs: 12 * ms)) == [])
        #expect(connection.state == .streaming(sinceNs: 10 * ms, lastMessageNs: 12 * ms))
    }

    @Test func aSilentFeedIsStaleAndReconnectsAfterABackoff() {
        var connection = streaming(at: 0)
        #expect(connection.apply(.clock(timeNs: 4_999 * ms)) == [])
        let outputs = connection.apply(.clock(timeNs: 5_000 * ms))
        #expect(outputs == [.disconnect(.stale), .feedState(.stale, reason: "no message for 5000 ms")])
        guard case .waiting(let until) = connection.state else {
            Issue.record("expected to wait, got \(connection.state)")
            return
        }
        // the first retry waits between half and all of the initial backoff
        #expect(until >= 5_200 * ms && until < 5_400 * ms)
        #expect(connection.apply(.closed(timeNs: 5_001 * ms)) == [])
        #expect(connection.apply(.clock(timeNs: until - 1)) == [])
        #expect(connection.apply(.clock(timeNs: until)) == [.connect(attempt: 1)])
    }

    @Test func backoffDoublesUpToItsCeilingAndResetsOnceDataFlows() {
        var connection = FeedConnection(configuration: configuration, seed: 9)
        var time: Int64 = 0
        _ = connection.apply(.start(timeNs: time))
        var delays: [Int64] = []
        for _ in 0..<8 {
            _ = connection.apply(.closed(timeNs: time))
            guard case .waiting(let until) = connection.state else { break }
            delays.append(until - time)
            time = until
            _ = connection.apply(.clock(timeNs: time))
        }
        #expect(delays.count == 8)
        for (index, delay) in delays.enumerated() {
            let step = min(400 * ms << index, 10_000 * ms)
            #expect(delay >= step / 2 && delay < step, "retry \(index + 1) waited \(delay)")
        }
        _ = connection.apply(.opened(timeNs: time))
        _ = connection.apply(.message(timeNs: time))
        #expect(connection.failures == 0)
    }

    @Test func sameSeedSameDelaysOtherSeedOtherDelays() {
        var first = FeedConnection(configuration: configuration, seed: 3)
        var second = FeedConnection(configuration: configuration, seed: 3)
        var third = FeedConnection(configuration: configuration, seed: 4)
        let a = (1...6).map { first.backoffNs(failures: $0) }
        #expect(a == (1...6).map { second.backoffNs(failures: $0) })
        #expect(a != (1...6).map { third.backoffNs(failures: $0) })
    }

    @Test func serverShutdownReconnectsAtOnce() {
        var connection = streaming(at: 0)
        #expect(connection.apply(.serverShutdown(timeNs: 100 * ms)) == [
            .disconnect(.serverShutdown), .feedState(.reconnecting, reason: "the server is shutting the connection"),
        ])
        #expect(connection.apply(.closed(timeNs: 101 * ms)) == [])
        #expect(connection.apply(.clock(timeNs: 101 * ms)) == [.connect(attempt: 0)])
    }

    @Test func rotatesAnOldConnectionBeforeTheVenueCutsIt() {
        var connection = streaming(at: 0)
        for second in stride(from: Int64(1), through: 59, by: 1) {
            #expect(connection.apply(.message(timeNs: second * 1_000 * ms)) == [])
            #expect(connection.apply(.clock(timeNs: second * 1_000 * ms)) == [])
        }
        #expect(connection.apply(.message(timeNs: 60_000 * ms)) == [])
        let outputs = connection.apply(.clock(timeNs: 60_000 * ms))
        #expect(outputs.first == .disconnect(.rotation))
        #expect(connection.apply(.clock(timeNs: 60_000 * ms)) == [.connect(attempt: 0)])
    }

    @Test func anAttemptThatNeverOpensTimesOut() {
        var connection = FeedConnection(configuration: configuration, seed: 1)
        _ = connection.apply(.start(timeNs: 0))
        #expect(connection.apply(.clock(timeNs: 1_999 * ms)) == [])
        let outputs = connection.apply(.clock(timeNs: 2_000 * ms))
        #expect(outputs.first == .disconnect(.connectTimeout))
        #expect(connection.failures == 1)
    }

    @Test func eventsBeforeStartDoNothing() {
        var connection = FeedConnection(configuration: configuration, seed: 1)
        #expect(connection.apply(.message(timeNs: 5)) == [])
        #expect(connection.apply(.clock(timeNs: 1_000_000 * ms)) == [])
        #expect(connection.state == .idle)
    }
}
