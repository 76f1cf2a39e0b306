import Testing
import TradewindCore

@Suite struct BookFollowerTests {
    private static let btc = TestInstruments.btcId

    /// A publisher live on the standard book plus the messages it published: snapshot (1), then
    /// deltas 2, 3 and 4.
    private static func published() throws -> (sync: DepthSynchronizer, messages: [BookMessage]) {
        var sync = try DepthSynchronizer(instrument: btc)
        var outputs = sync.apply(.diff(Depth.diff(101, 105)))
        outputs += sync.apply(.snapshot(Depth.snapshot(110, bids: Depth.standardBids, asks: Depth.standardAsks)))
        outputs += sync.apply(.diff(Depth.diff(111, 111, bids: [("99", "0")])))
        outputs += sync.apply(.diff(Depth.diff(112, 112, asks: [("100.5", "4")])))
        outputs += sync.apply(.diff(Depth.diff(113, 113, bids: [("98", "9")])))
        return (sync, outputs.compactMap(\.message))
    }

    @Test func followerKeepsThePublishersBook() throws {
        let (sync, messages) = try Self.published()
        #expect(messages.map(\.sequence) == [1, 2, 3, 4])
        var follower = BookFollower(instrument: Self.btc)
        #expect(messages.map { follower.apply($0) } == [.synced, .applied, .applied, .applied])
        #expect(follower.book == sync.book)
        #expect(follower.sequence == 4)
        #expect(follower.state == .synced)
    }

    @Test func deltasBeforeTheFirstSnapshotAreIgnored() throws {
        let (sync, messages) = try Self.published()
        var follower = BookFollower(instrument: Self.btc)
        #expect(follower.apply(messages[1]) == .awaitingSnapshot)
        #expect(follower.book.isEmpty)
        var publisher = sync
        let snapshot = try #require(publisher.apply(.snapshotRequested(timeNs: 1)).first?.message)
        #expect(follower.apply(snapshot) == .synced)
        #expect(follower.book == sync.book)
    }

    @Test(arguments: [1, 2])
    func missedDeltaIsAGapThatClearsTheBookUntilTheNextSnapshot(missed: Int) throws {
        let (sync, messages) = try Self.published()
        var follower = BookFollower(instrument: Self.btc)
        for message in messages.prefix(missed) {
            _ = follower.apply(message)
        }
        let next = messages[missed + 1]
        #expect(follower.apply(next) == .gap(expected: UInt64(missed + 1), got: next.sequence))
        #expect(follower.state == .awaitingSnapshot)
        #expect(follower.book.isEmpty)
        #expect(follower.gapCount == 1)
        #expect(follower.apply(messages[3]) == .awaitingSnapshot)

        var publisher = sync
        let snapshot = try #require(publisher.apply(.snapshotRequested(timeNs: 1)).first?.message)
        #expect(snapshot.sequence == 5)
        #expect(follower.apply(snapshot) == .synced)
        #expect(follower.book == sync.book)
    }

    @Test func replayedOrOlderDeltaIsAGap() throws {
        let (_, messages) = try Self.published()
        var follower = BookFollower(instrument: Self.btc)
        _ = follower.apply(messages[0])
        _ = follower.apply(messages[1])
        #expect(follower.apply(messages[1]) == .gap(expected: 3, got: 2))
    }

    @Test func snapshotIsTakenWhateverItsSequence() throws {
        let (sync, messages) = try Self.published()
        var follower = BookFollower(instrument: Self.btc)
        for message in messages { _ = follower.apply(message) }
        let restarted = BookMessage(sequence: 1, venueUpdateId: 900, update: BookUpdate(
            instrument: Self.btc, snapshot: true, bids: Depth.levels([("50", "1")]), asks: [], timeNs: 1))
        #expect(follower.apply(restarted) == .synced)
        #expect(follower.book.levels(.bid) == Depth.levels([("50", "1")]))
        #expect(follower.book.updateId == 900)
        #expect(follower.book != sync.book)
    }

    @Test func messageForAnotherInstrumentIsIgnored() throws {
        let (_, messages) = try Self.published()
        var follower = BookFollower(instrument: TestInstruments.ethId)
        #expect(follower.apply(messages[0]) == .wrongInstrument(Self.btc))
        #expect(follower.state == .awaitingSnapshot)
    }

    @Test func messageWithABadLevelVoidsTheBook() throws {
        let (_, messages) = try Self.published()
        var follower = BookFollower(instrument: Self.btc)
        _ = follower.apply(messages[0])
        let bad = BookMessage(sequence: 2, venueUpdateId: 111, update: BookUpdate(
            instrument: Self.btc, snapshot: false, bids: Depth.levels([("99", "-2")]), asks: [], timeNs: 1))
        #expect(follower.apply(bad) == .rejected(.negativeSize(.bid, price: px("99"), size: qty("-2"))))
        #expect(follower.state == .awaitingSnapshot)
        #expect(follower.book.isEmpty)
    }
}
