import Testing
import TradewindCore

@Suite struct DepthSynchronizerTests {
    private static let btc = TestInstruments.btcId

    private static func expectedBook(_ updateId: UInt64, bids: [(String, String)], asks: [(String, String)]) throws -> OrderBook {
        try OrderBook(instrument: btc, bids: Depth.levels(bids), asks: Depth.levels(asks), updateId: updateId)
    }

    /// A synchronizer live at update id 110 on the standard book, having published sequence 1.
    private static func live(_ configuration: DepthSynchronizerConfiguration = .defaults) throws -> DepthSynchronizer {
        var sync = try DepthSynchronizer(instrument: btc, configuration: configuration)
        _ = sync.apply(.diff(Depth.diff(101, 105)))
        _ = sync.apply(.snapshot(Depth.snapshot(110, bids: Depth.standardBids, asks: Depth.standardAsks)))
        #expect(sync.state == .live)
        return sync
    }

    @Test func firstDiffIsBufferedAndASnapshotRequested() throws {
        var sync = try DepthSynchronizer(instrument: Self.btc)
        #expect(sync.state == .idle)
        let first = Depth.diff(101, 105, bids: [("99", "5")])
        #expect(sync.apply(.diff(first)) == [.requestSnapshot(.initial)])
        #expect(sync.state == .buffering)
        #expect(sync.bufferedDiffs == [first])
        let second = Depth.diff(106, 107, asks: [("101", "2")])
        #expect(sync.apply(.diff(second)).isEmpty)
        #expect(sync.bufferedDiffs == [first, second])
        #expect(sync.book.isEmpty)
    }

    @Test func snapshotDropsBufferedDiffsItCoversAndAppliesTheRest() throws {
        var sync = try DepthSynchronizer(instrument: Self.btc)
        _ = sync.apply(.diff(Depth.diff(101, 105, bids: [("96", "50")])))
        _ = sync.apply(.diff(Depth.diff(106, 110, asks: [("104", "4")])))
        _ = sync.apply(.diff(Depth.diff(111, 112, bids: [("99", "6")])))
        let outputs = sync.apply(.snapshot(Depth.snapshot(107, bids: Depth.standardBids, asks: Depth.standardAsks)))
        let expected = try Self.expectedBook(
            112, bids: [("99", "6"), ("98", "2"), ("97", "3")], asks: Depth.standardAsks + [("104", "4")])
        #expect(outputs == [.snapshot(BookMessage(sequence: 1, venueUpdateId: 112, update: expected.snapshot(timeNs: 112)))])
        #expect(sync.book == expected)
        #expect(sync.state == .live)
        #expect(sync.bufferedDiffs.isEmpty)
        #expect(sync.counters.droppedBufferedDiffs == 1)
        #expect(sync.counters.syncs == 1)
    }

    @Test func deltasKeepTheirDiffsExchangeTimeAndSnapshotsHaveNone() throws {
        var sync = try DepthSynchronizer(instrument: Self.btc)
        var buffered = Depth.diff(101, 105, bids: [("96", "50")])
        buffered.exchangeTimeNs = 90
        _ = sync.apply(.diff(buffered))
        let synced = sync.apply(.snapshot(Depth.snapshot(103, bids: Depth.standardBids, asks: Depth.standardAsks)))
        guard case .snapshot(let snapshot)? = synced.first else { Issue.record("no snapshot: \(synced)"); return }
        #expect(snapshot.update.exchangeTimeNs == nil)
        var live = Depth.diff(106, 107, asks: [("104", "4")])
        live.exchangeTimeNs = 95
        guard case .delta(let delta)? = sync.apply(.diff(live)).first else { Issue.record("no delta"); return }
        #expect(delta.update.exchangeTimeNs == 95 && delta.update.timeNs == live.timeNs)
    }

    @Test func snapshotCoveringEveryBufferedDiffSyncsAtItsOwnId() throws {
        var sync = try DepthSynchronizer(instrument: Self.btc)
        _ = sync.apply(.diff(Depth.diff(101, 105, bids: [("96", "50")])))
        let outputs = sync.apply(.snapshot(Depth.snapshot(200, bids: Depth.standardBids, asks: Depth.standardAsks, timeNs: 7)))
        let expected = try Self.expectedBook(200, bids: Depth.standardBids, asks: Depth.standardAsks)
        #expect(outputs == [.snapshot(BookMessage(sequence: 1, venueUpdateId: 200, update: expected.snapshot(timeNs: 7)))])
        #expect(sync.apply(.diff(Depth.diff(150, 200, bids: [("96", "50")]))).isEmpty)
        #expect(sync.book == expected)
        #expect(sync.apply(.diff(Depth.diff(201, 203, bids: [("96", "50")]))).count == 1)
        #expect(sync.book.size(.bid, at: px("96")) == qty("50"))
    }

    @Test(arguments: [UInt64(100), 0, 50])
    func snapshotOlderThanTheFirstBufferedDiffIsRefused(lastUpdateId: UInt64) throws {
        var sync = try DepthSynchronizer(instrument: Self.btc)
        _ = sync.apply(.diff(Depth.diff(101, 105)))
        let outputs = sync.apply(.snapshot(Depth.snapshot(lastUpdateId, bids: Depth.standardBids, asks: Depth.standardAsks)))
        #expect(outputs == [.snapshotTooOld(lastUpdateId: lastUpdateId, firstBufferedUpdateId: 101), .requestSnapshot(.snapshotTooOld)])
        #expect(sync.state == .buffering)
        #expect(sync.book.isEmpty)
        #expect(sync.bufferedDiffs.count == 1)
        #expect(sync.counters.snapshotsTooOld == 1)
        let retry = sync.apply(.snapshot(Depth.snapshot(101, bids: Depth.standardBids, asks: Depth.standardAsks)))
        #expect(retry.first?.message?.venueUpdateId == 105)
        #expect(sync.state == .live)
    }

    @Test func liveDiffsArePublishedAsDeltasWithConsecutiveSequences() throws {
        var sync = try Self.live()
        let first = Depth.diff(111, 111, bids: [("99", "0")], asks: [("101", "3")])
        let second = Depth.diff(112, 115, bids: [("98.5", "1")])
        #expect(sync.apply(.diff(first)) == [.delta(BookMessage(
            sequence: 2, venueUpdateId: 111,
            update: BookUpdate(instrument: Self.btc, snapshot: false, bids: first.bids, asks: first.asks, timeNs: first.timeNs)))])
        #expect(sync.apply(.diff(second)).map { $0.message?.sequence } == [3])
        #expect(sync.sequence == 3)
        #expect(sync.book == (try Self.expectedBook(
            115, bids: [("98.5", "1"), ("98", "2"), ("97", "3")], asks: [("101", "3"), ("102", "2"), ("103", "3")])))
        #expect(sync.counters.appliedDiffs == 2)
    }

    @Test(arguments: [(UInt64(100), UInt64(110)), (105, 109), (110, 110)])
    func diffTheBookAlreadyHasIsIgnored(first: UInt64, final: UInt64) throws {
        var sync = try Self.live()
        let before = sync.book
        #expect(sync.apply(.diff(Depth.diff(first, final, bids: [("99", "9")]))).isEmpty)
        #expect(sync.book == before)
        #expect(sync.sequence == 1)
        #expect(sync.counters.staleDiffs == 1)
    }

    @Test func diffOverlappingTheBookIdIsApplied() throws {
        var sync = try Self.live()
        let outputs = sync.apply(.diff(Depth.diff(108, 113, bids: [("99", "9")])))
        #expect(outputs.map { $0.message?.venueUpdateId } == [113])
        #expect(sync.book.updateId == 113)
        #expect(sync.book.bestBid == BookLevel(price: px("99"), size: qty("9")))
    }

    @Test func gapDiscardsTheBookAndBuffersFromTheGapDiff() throws {
        var sync = try Self.live()
        _ = sync.apply(.diff(Depth.diff(111, 112)))
        let afterGap = Depth.diff(114, 116, asks: [("101", "7")])
        #expect(sync.apply(.diff(afterGap)) == [.gap(expected: 113, got: 114), .invalidated(.gap), .requestSnapshot(.gap)])
        #expect(sync.state == .buffering)
        #expect(sync.book.isEmpty)
        #expect(sync.bufferedDiffs == [afterGap])
        #expect(sync.counters.gaps == 1)
        #expect(sync.counters.resyncs == 1)

        let resync = sync.apply(.snapshot(Depth.snapshot(115, bids: Depth.standardBids, asks: Depth.standardAsks)))
        let expected = try Self.expectedBook(116, bids: Depth.standardBids, asks: [("101", "7"), ("102", "2"), ("103", "3")])
        #expect(resync == [.snapshot(BookMessage(sequence: 3, venueUpdateId: 116, update: expected.snapshot(timeNs: 116)))])
    }

    @Test func gapWhileBufferingForgetsTheDiffsBeforeIt() throws {
        var sync = try DepthSynchronizer(instrument: Self.btc)
        _ = sync.apply(.diff(Depth.diff(101, 105)))
        let afterGap = Depth.diff(110, 112)
        #expect(sync.apply(.diff(afterGap)) == [.gap(expected: 106, got: 110)])
        #expect(sync.bufferedDiffs == [afterGap])
        let outputs = sync.apply(.snapshot(Depth.snapshot(105, bids: Depth.standardBids, asks: Depth.standardAsks)))
        #expect(outputs == [.snapshotTooOld(lastUpdateId: 105, firstBufferedUpdateId: 110), .requestSnapshot(.snapshotTooOld)])
    }

    @Test func bufferIsBoundedByDiffCount() throws {
        var sync = try DepthSynchronizer(instrument: Self.btc, configuration: DepthSynchronizerConfiguration(maxBufferedDiffs: 3))
        var overflows = 0
        for id in UInt64(1)...1_000 {
            let outputs = sync.apply(.diff(Depth.diff(id, id, bids: [("99", "1")])))
            if outputs == [.requestSnapshot(.bufferOverflow)] { overflows += 1 }
            #expect(sync.bufferedDiffs.count <= 3)
        }
        #expect(overflows == 333)
        #expect(sync.counters.bufferOverflows == 333)
        #expect(sync.bufferedDiffs.map(\.firstUpdateId) == [1_000])
        _ = sync.apply(.snapshot(Depth.snapshot(1_000, bids: Depth.standardBids, asks: Depth.standardAsks)))
        #expect(sync.state == .live)
        #expect(sync.book.updateId == 1_000)
    }

    @Test func bufferIsBoundedByLevelCount() throws {
        var sync = try DepthSynchronizer(instrument: Self.btc, configuration: DepthSynchronizerConfiguration(maxBufferedLevels: 5))
        let twoLevels: [(String, String)] = [("99", "1"), ("98", "1")]
        #expect(sync.apply(.diff(Depth.diff(1, 1, bids: twoLevels))) == [.requestSnapshot(.initial)])
        #expect(sync.apply(.diff(Depth.diff(2, 2, bids: twoLevels))).isEmpty)
        #expect(sync.apply(.diff(Depth.diff(3, 3, bids: twoLevels))) == [.requestSnapshot(.bufferOverflow)])
        #expect(sync.bufferedDiffs.map(\.firstUpdateId) == [3])
    }

    @Test func crossedBookIsReportedOnceUnderTheReportPolicy() throws {
        var sync = try Self.live(DepthSynchronizerConfiguration(crossedBook: .report))
        let crossing = sync.apply(.diff(Depth.diff(111, 111, bids: [("101.5", "1")])))
        #expect(crossing.count == 2)
        #expect(crossing.last == .crossed(.crossed, bestBid: px("101.5"), bestAsk: px("101")))
        #expect(sync.apply(.diff(Depth.diff(112, 112, bids: [("101.5", "2")]))).count == 1)
        #expect(sync.apply(.diff(Depth.diff(113, 113, bids: [("101.5", "0"), ("101", "1")]))).last == .crossed(.locked, bestBid: px("101"), bestAsk: px("101")))
        #expect(sync.apply(.diff(Depth.diff(114, 114, asks: [("101", "0")]))).count == 1)
        #expect(sync.book.cross == nil)
        #expect(sync.apply(.diff(Depth.diff(115, 115, asks: [("100", "1")]))).last == .crossed(.crossed, bestBid: px("101"), bestAsk: px("100")))
        #expect(sync.state == .live)
    }

    @Test func crossedBookIsDiscardedUnderTheResyncPolicy() throws {
        var sync = try Self.live()
        let outputs = sync.apply(.diff(Depth.diff(111, 111, asks: [("99", "1")])))
        #expect(outputs.dropFirst() == [.crossed(.locked, bestBid: px("99"), bestAsk: px("99")), .invalidated(.crossed)])
        #expect(sync.state == .idle)
        #expect(sync.book.isEmpty)
        #expect(sync.apply(.diff(Depth.diff(112, 112))) == [.requestSnapshot(.crossed)])
    }

    @Test func crossedSnapshotIsNotPublishedUnderTheResyncPolicy() throws {
        var sync = try DepthSynchronizer(instrument: Self.btc)
        _ = sync.apply(.diff(Depth.diff(101, 105)))
        let outputs = sync.apply(.snapshot(Depth.snapshot(110, bids: [("102", "1")], asks: Depth.standardAsks)))
        #expect(outputs == [.crossed(.crossed, bestBid: px("102"), bestAsk: px("101"))])
        #expect(sync.state == .idle)
        #expect(sync.sequence == 0)
    }

    @Test func snapshotsWhileIdleOrLiveAreIgnored() throws {
        var idle = try DepthSynchronizer(instrument: Self.btc)
        #expect(idle.apply(.snapshot(Depth.snapshot(1, bids: Depth.standardBids, asks: []))).isEmpty)
        #expect(idle.state == .idle && idle.book.isEmpty)
        var live = try Self.live()
        let before = live.book
        #expect(live.apply(.snapshot(Depth.snapshot(500, bids: [("1", "1")], asks: []))).isEmpty)
        #expect(live.book == before)
        #expect(live.counters.ignoredSnapshots == 1)
    }

    @Test func snapshotRequestWhileLivePublishesTheWholeBookWithTheNextSequence() throws {
        var sync = try Self.live()
        let whole = sync.book.snapshot(timeNs: 77)
        #expect(sync.apply(.snapshotRequested(timeNs: 77)) == [.snapshot(BookMessage(sequence: 2, venueUpdateId: 110, update: whole))])
        var buffering = try DepthSynchronizer(instrument: Self.btc)
        _ = buffering.apply(.diff(Depth.diff(1, 1)))
        #expect(buffering.apply(.snapshotRequested(timeNs: 77)).isEmpty)
    }

    @Test func disconnectVoidsTheBookAndTheNextDiffStartsOver() throws {
        var sync = try Self.live()
        #expect(sync.apply(.disconnected) == [.invalidated(.disconnected)])
        #expect(sync.state == .idle && sync.book.isEmpty)
        #expect(sync.apply(.diff(Depth.diff(5_000, 5_001))) == [.requestSnapshot(.disconnected)])
        #expect(sync.apply(.disconnected).isEmpty)
        #expect(sync.state == .idle && sync.bufferedDiffs.isEmpty)
    }

    @Test func malformedDiffIsRefusedAndVoidsTheBook() throws {
        var reversed = try Self.live()
        #expect(reversed.apply(.diff(Depth.diff(112, 111))) == [.rejected(.reversedUpdateIds(first: 112, final: 111)), .invalidated(.invalidInput)])
        #expect(reversed.state == .idle && reversed.book.isEmpty)

        var negative = try Self.live()
        let outputs = negative.apply(.diff(Depth.diff(111, 111, bids: [("99", "2")], asks: [("101", "-1")])))
        #expect(outputs == [.rejected(.diffLevel(.negativeSize(.ask, price: px("101"), size: qty("-1")))), .invalidated(.invalidInput)])
        #expect(negative.counters.rejectedInputs == 1)

        var buffering = try DepthSynchronizer(instrument: Self.btc)
        _ = buffering.apply(.diff(Depth.diff(1, 1)))
        #expect(buffering.apply(.diff(Depth.diff(2, 2, bids: [("0", "1")]))) == [.rejected(.diffLevel(.nonPositivePrice(.bid, .zero)))])
        #expect(buffering.state == .idle)
        #expect(buffering.apply(.diff(Depth.diff(3, 3))) == [.requestSnapshot(.invalidInput)])
    }

    @Test func malformedSnapshotIsRefusedAndAnotherRequested() throws {
        var sync = try DepthSynchronizer(instrument: Self.btc)
        _ = sync.apply(.diff(Depth.diff(101, 105)))
        let outputs = sync.apply(.snapshot(Depth.snapshot(110, bids: [("99", "1"), ("99", "2")], asks: [])))
        #expect(outputs == [.rejected(.snapshotLevel(.duplicateLevel(.bid, px("99")))), .requestSnapshot(.invalidInput)])
        #expect(sync.state == .buffering)
    }

    @Test func updateIdsNearTheTopOfTheRangeDoNotTrap() throws {
        var sync = try DepthSynchronizer(instrument: Self.btc)
        _ = sync.apply(.diff(Depth.diff(.max - 3, .max - 2)))
        _ = sync.apply(.snapshot(Depth.snapshot(.max - 2, bids: Depth.standardBids, asks: Depth.standardAsks)))
        #expect(sync.apply(.diff(Depth.diff(.max - 1, .max))).count == 1)
        #expect(sync.apply(.diff(Depth.diff(.max, .max))).isEmpty)
        #expect(sync.book.updateId == .max)
    }

    @Test(arguments: [(0, 10), (-1, 10), (10, 0)])
    func refusesNonPositiveBufferBounds(diffs: Int, levels: Int) {
        #expect(throws: ConfigurationError.self) {
            try DepthSynchronizer(instrument: Self.btc, configuration: DepthSynchronizerConfiguration(maxBufferedDiffs: diffs, maxBufferedLevels: levels))
        }
    }
}

extension DepthSynchronizer.Output {
    var message: BookMessage? {
        switch self {
        case .snapshot(let message), .delta(let message): return message
        case .requestSnapshot, .gap, .snapshotTooOld, .crossed, .rejected, .invalidated: return nil
        }
    }
}
