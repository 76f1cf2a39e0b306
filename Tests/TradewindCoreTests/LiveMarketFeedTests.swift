import Testing
import TradewindCore

/// The live feed's composed machine: connection life, one synchronizer per book, snapshot retries,
/// readiness and the silence the host reports as a metric.
@Suite struct LiveMarketFeedTests {
    private static let btc = TestInstruments.btcId
    private static let eth = TestInstruments.ethId
    private static let ms: Int64 = 1_000_000
    private static let connection = FeedConnection.Configuration(
        staleAfterNs: 5_000 * ms, connectTimeoutNs: 2_000 * ms, initialBackoffNs: 400 * ms, maxBackoffNs: 10_000 * ms)

    private static func feed() throws -> LiveMarketFeed {
        try LiveMarketFeed(instruments: [eth, btc], connection: connection, books: .defaults, seed: 1)
    }

    /// Started at 0, connected at 10 ms, BTC's book live at update 110 (ETH's still waiting).
    private static func streamingWithBTCLive() throws -> LiveMarketFeed {
        var feed = try feed()
        #expect(feed.apply(.start(timeNs: 0)) == [.connect(attempt: 0)])
        _ = feed.apply(.opened(timeNs: 10 * ms))
        #expect(feed.apply(.depth(btc, Depth.diff(101, 105, timeNs: 20 * ms))).contains(.requestSnapshot(btc, .initial)))
        _ = feed.apply(.snapshot(btc, Depth.snapshot(110, bids: Depth.standardBids, asks: Depth.standardAsks, timeNs: 30 * ms)))
        return feed
    }

    @Test func readinessNeedsALiveConnectionAndEveryBookLive() throws {
        var feed = try Self.feed()
        #expect(!feed.isReady)
        #expect(feed.readinessDetail == "connection connecting; books: SIM:BTCUSDT idle, SIM:ETHUSDT idle")
        feed = try Self.streamingWithBTCLive()
        #expect(!feed.isReady)
        #expect(feed.readinessDetail == "connection live; books: SIM:BTCUSDT live, SIM:ETHUSDT idle")
        _ = feed.apply(.depth(Self.eth, Depth.diff(7, 9, timeNs: 40 * Self.ms)))
        let outputs = feed.apply(.snapshot(Self.eth, Depth.snapshot(8, bids: Depth.standardBids, asks: Depth.standardAsks, timeNs: 50 * Self.ms)))
        #expect(outputs.contains(.feedState(instrument: Self.eth, state: "live", reason: "book in step with the venue")))
        #expect(feed.isReady)
        #expect(feed.readinessDetail == "connection live; books: SIM:BTCUSDT live, SIM:ETHUSDT live")
    }

    @Test func aClosedConnectionVoidsEveryBookAndReconnectsAfterABackoff() throws {
        var feed = try Self.streamingWithBTCLive()
        let closed = feed.apply(.closed(timeNs: 100 * Self.ms))
        #expect(closed.contains(.feedState(instrument: Self.btc, state: "resyncing", reason: "disconnected")))
        #expect(!closed.contains { if case .connect = $0 { true } else { false } })
        #expect(feed.books[Self.btc]?.state != .live && !feed.isReady)
        // the retry comes within the first backoff (400 ms with jitter), not before half of it
        #expect(feed.apply(.clock(timeNs: 299 * Self.ms)).isEmpty)
        #expect(feed.apply(.clock(timeNs: 500 * Self.ms)) == [.connect(attempt: 1)])
    }

    @Test func aFailedSnapshotIsAskedForAgainAfterABackoff() throws {
        var feed = try Self.feed()
        _ = feed.apply(.start(timeNs: 0))
        _ = feed.apply(.opened(timeNs: 0))
        _ = feed.apply(.depth(Self.btc, Depth.diff(101, 105, timeNs: 1 * Self.ms)))
        #expect(feed.apply(.snapshotFailed(Self.btc, timeNs: 2 * Self.ms)).isEmpty)
        _ = feed.apply(.unusableFrame(timeNs: 3 * Self.ms))
        #expect(!feed.apply(.clock(timeNs: 100 * Self.ms)).contains(.requestSnapshot(Self.btc, .initial)))
        #expect(feed.apply(.clock(timeNs: 500 * Self.ms)) == [.requestSnapshot(Self.btc, .initial)])
        // asked once per failure, not on every tick after
        #expect(feed.apply(.clock(timeNs: 600 * Self.ms)).isEmpty)
    }

    @Test func aRequestedBookIsPublishedAsASnapshotWithTheNextSequence() throws {
        var feed = try Self.streamingWithBTCLive()
        let outputs = feed.apply(.bookRequested(Self.btc, timeNs: 60 * Self.ms))
        guard case .book(let message)? = outputs.first else { Issue.record("no book: \(outputs)"); return }
        #expect(message.update.snapshot && message.sequence == 2 && message.venueUpdateId == 110)
        #expect(message.update.timeNs == 60 * Self.ms)
    }

    @Test func silenceIsTheTimeSinceTheVenueLastSentAnythingAcrossReconnects() throws {
        var feed = try Self.feed()
        #expect(feed.silenceNs(at: 5) == nil)
        _ = feed.apply(.start(timeNs: 0))
        #expect(feed.silenceNs(at: 7 * Self.ms) == 7 * Self.ms)
        _ = feed.apply(.opened(timeNs: 10 * Self.ms))
        #expect(feed.silenceNs(at: 10 * Self.ms) == 10 * Self.ms)  // opening is not the venue speaking
        let trade = Trade(instrument: Self.btc, price: px("100"), size: qty("1"), aggressor: .buy, tradeId: "1", timeNs: 20 * Self.ms)
        #expect(feed.apply(.trade(trade)) == [.feedState(instrument: nil, state: "live", reason: "receiving"), .trade(trade)])
        _ = feed.apply(.closed(timeNs: 30 * Self.ms))
        _ = feed.apply(.clock(timeNs: 1_000 * Self.ms))
        _ = feed.apply(.opened(timeNs: 1_100 * Self.ms))
        #expect(feed.silenceNs(at: 1_200 * Self.ms) == 1_180 * Self.ms)
        _ = feed.apply(.unusableFrame(timeNs: 1_250 * Self.ms))
        #expect(feed.silenceNs(at: 1_250 * Self.ms) == 0)
    }
}
