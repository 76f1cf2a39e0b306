import Testing
import TradewindCore

/// A simulated venue book streamed through a lossy feed into a `DepthSynchronizer`, whose published
/// messages reach a `BookFollower` over a lossy bus: whenever either claims a book, it is exactly
/// the book it claims to be, and once the losses stop both converge on the venue's book.
@Suite struct BookSyncPropertyTests {
    private struct Venue {
        var book = OrderBook(instrument: TestInstruments.btcId)
        /// The venue's book after every update id it produced.
        var history: [UInt64: OrderBook] = [:]
        var mid: Int64 = 1_000

        /// Changes 1-6 levels around a drifting mid and returns the diff the venue streams.
        mutating func step(_ generator: inout SeededGenerator) throws -> DepthDiff {
            mid += Int64(generator.nextBounded(3)) - 1
            var bids: [BookLevel] = []
            var asks: [BookLevel] = []
            for _ in 0..<(Int(generator.nextBounded(6)) + 1) {
                let isBid = generator.nextBounded(2) == 0
                let offset = Int64(generator.nextBounded(10)) + 1
                let price = Price(units: isBid ? mid - offset : mid + offset)
                let size = Quantity(units: generator.nextBounded(5) == 0 ? 0 : Int64(generator.nextBounded(100)) + 1)
                if isBid { bids.append(BookLevel(price: price, size: size)) } else { asks.append(BookLevel(price: price, size: size)) }
            }
            // The venue never crosses: a level that would is removed from the other side first.
            for bid in bids where bid.size > .zero {
                for ask in book.levels(.ask) where ask.price <= bid.price { asks.append(BookLevel(price: ask.price, size: .zero)) }
            }
            for ask in asks where ask.size > .zero {
                for bid in book.levels(.bid) where bid.price >= ask.price { bids.append(BookLevel(price: bid.price, size: .zero)) }
            }
            bids = Self.lastPerPrice(bids)
            asks = Self.lastPerPrice(asks)
            let first = book.updateId + 1
            let final = first + generator.nextBounded(3)
            try book.apply(bids: bids, asks: asks, updateId: final)
            history[final] = book
            return DepthDiff(firstUpdateId: first, finalUpdateId: final, bids: bids, asks: asks, timeNs: Int64(final))
        }

        /// Keeps the last change per price, as a venue coalesces a diff; drops a bid/ask clash.
        private static func lastPerPrice(_ levels: [BookLevel]) -> [BookLevel] {
            var seen: Set<Price> = []
            return levels.reversed().filter { seen.insert($0.price).inserted }.reversed()
        }

        func snapshot(agedBy age: UInt64) -> DepthSnapshot {
            var id = book.updateId > age ? book.updateId - age : book.updateId
            while history[id] == nil, id < book.updateId { id += 1 }
            let old = history[id] ?? book
            return DepthSnapshot(lastUpdateId: old.updateId, bids: old.levels(.bid), asks: old.levels(.ask), timeNs: 0)
        }
    }

    @Test(arguments: 0..<8)
    func synchronizerAndFollowerHoldExactlyTheBooksTheyClaim(seed: Int) throws {
        var generator = SeededGenerator(seed: UInt64(seed) &* 7_919)
        var venue = Venue()
        var sync = try DepthSynchronizer(instrument: TestInstruments.btcId, configuration: DepthSynchronizerConfiguration(maxBufferedDiffs: 40))
        var follower = BookFollower(instrument: TestInstruments.btcId)
        var publishedBooks: [UInt64: OrderBook] = [:]
        var snapshotDueIn: Int?
        var followerWantsSnapshot = false
        let lossySteps = 3_000
        var lossy = true
        /// Acts on one apply's outputs at once, so each published message is checked against the
        /// book it was published from.
        func handle(_ outputs: [DepthSynchronizer.Output]) throws {
            for output in outputs {
                switch output {
                case .requestSnapshot:
                    snapshotDueIn = snapshotDueIn ?? Int(generator.nextBounded(lossy ? 8 : 2))
                case .snapshot(let message), .delta(let message):
                    var replica = publishedBooks[message.sequence - 1] ?? OrderBook(instrument: TestInstruments.btcId)
                    try replica.apply(message.update, updateId: message.venueUpdateId)
                    #expect(replica == sync.book)
                    publishedBooks[message.sequence] = sync.book
                    if !lossy || generator.nextBounded(50) != 0 {
                        switch follower.apply(message) {
                        case .gap, .rejected: followerWantsSnapshot = true
                        case .synced, .applied, .awaitingSnapshot, .wrongInstrument: break
                        }
                    }
                case .gap, .snapshotTooOld, .crossed, .rejected, .invalidated:
                    break
                }
            }
        }
        for step in 0..<(lossySteps + 300) {
            lossy = step < lossySteps
            let diff = try venue.step(&generator)
            if !lossy || generator.nextBounded(40) != 0 {
                try handle(sync.apply(.diff(diff)))
            }
            if let due = snapshotDueIn {
                if due == 0 {
                    snapshotDueIn = nil
                    let age = lossy && generator.nextBounded(4) == 0 ? generator.nextBounded(30) + 1 : 0
                    try handle(sync.apply(.snapshot(venue.snapshot(agedBy: age))))
                } else {
                    snapshotDueIn = due - 1
                }
            }
            if followerWantsSnapshot {
                followerWantsSnapshot = false
                try handle(sync.apply(.snapshotRequested(timeNs: Int64(step))))
            }
            if sync.state == .live {
                #expect(sync.book == venue.history[sync.book.updateId])
                #expect(sync.book.cross == nil)
            }
            if follower.state == .synced {
                #expect(follower.book == publishedBooks[follower.sequence])
            }
            if follower.state == .awaitingSnapshot, sync.state == .live, !followerWantsSnapshot, generator.nextBounded(10) == 0 {
                followerWantsSnapshot = true
            }
        }
        #expect(sync.state == .live)
        #expect(sync.book == venue.book)
        #expect(follower.state == .synced)
        #expect(follower.book == venue.book)
        #expect(sync.counters.gaps > 0)
        #expect(sync.counters.snapshotsTooOld > 0)
        #expect(follower.gapCount > 0)
    }
}
