import Testing
import TradewindCore

@Suite struct OrderBookTests {
    private static func standardBook(updateId: UInt64 = 10) throws -> OrderBook {
        try OrderBook(instrument: TestInstruments.btcId, bids: Depth.levels(Depth.standardBids), asks: Depth.levels(Depth.standardAsks), updateId: updateId)
    }

    @Test func snapshotLevelsInAnyOrderComeBackBestFirst() throws {
        let book = try OrderBook(
            instrument: TestInstruments.btcId,
            bids: Depth.levels([("97", "3"), ("99", "1"), ("98", "2")]),
            asks: Depth.levels([("103", "3"), ("101", "1"), ("102", "2")]), updateId: 42)
        #expect(book.levels(.bid) == Depth.levels(Depth.standardBids))
        #expect(book.levels(.ask) == Depth.levels(Depth.standardAsks))
        #expect(book.depth(.bid) == 3)
        #expect(book.depth(.ask) == 3)
        #expect(book.updateId == 42)
    }

    @Test func snapshotReplacesEveryEarlierLevel() throws {
        var book = try Self.standardBook()
        try book.replace(bids: Depth.levels([("50", "5")]), asks: [], updateId: 11)
        #expect(book.levels(.bid) == Depth.levels([("50", "5")]))
        #expect(book.depth(.ask) == 0)
        #expect(book.bestAsk == nil)
        #expect(book.updateId == 11)
    }

    @Test func snapshotSkipsZeroSizesAndRefusesAPriceListedTwice() throws {
        let book = try OrderBook(instrument: TestInstruments.btcId, bids: Depth.levels([("99", "0"), ("98", "1")]), asks: [], updateId: 1)
        #expect(book.levels(.bid) == Depth.levels([("98", "1")]))
        var unchanged = try Self.standardBook()
        #expect(throws: OrderBookError.duplicateLevel(.ask, px("101"))) {
            try unchanged.replace(bids: [], asks: Depth.levels([("101", "1"), ("102", "1"), ("101", "2")]), updateId: 99)
        }
        #expect(unchanged == (try Self.standardBook()))
    }

    @Test func deltaSetsAbsoluteSizesAndAddsNewLevels() throws {
        var book = try Self.standardBook()
        try book.apply(bids: Depth.levels([("98", "7"), ("99.5", "4"), ("90", "1")]), asks: Depth.levels([("101", "0.25")]), updateId: 12)
        #expect(book.levels(.bid) == Depth.levels([("99.5", "4"), ("99", "1"), ("98", "7"), ("97", "3"), ("90", "1")]))
        #expect(book.levels(.ask) == Depth.levels([("101", "0.25"), ("102", "2"), ("103", "3")]))
        #expect(book.updateId == 12)
    }

    @Test(arguments: [BookSide.bid, .ask])
    func zeroSizeRemovesTheLevel(side: BookSide) throws {
        var book = try Self.standardBook()
        let levels = book.levels(side)
        #expect(try book.set(side, price: levels[1].price, size: .zero) == .removed)
        #expect(book.levels(side) == [levels[0], levels[2]])
        #expect(try book.set(side, price: levels[0].price, size: .zero) == .removed)
        #expect(book.levels(side) == [levels[2]])
        #expect(book.best(side) == levels[2])
        #expect(book.depth(side) == 1)
        #expect(book.size(side, at: levels[0].price) == .zero)
        #expect(book.depth(side.opposite) == 3)
    }

    @Test func removingALevelTheBookDoesNotHaveChangesNothing() throws {
        var book = try Self.standardBook()
        #expect(try book.set(.bid, price: px("98.5"), size: .zero) == .unchanged)
        #expect(try book.set(.bid, price: px("500"), size: .zero) == .unchanged)
        #expect(try book.set(.ask, price: px("1"), size: .zero) == .unchanged)
        try book.apply(bids: Depth.levels([("10", "0")]), asks: Depth.levels([("110", "0")]), updateId: 10)
        #expect(book == (try Self.standardBook()))
        var empty = OrderBook(instrument: TestInstruments.btcId)
        #expect(try empty.set(.ask, price: px("1"), size: .zero) == .unchanged)
        #expect(empty.isEmpty)
    }

    @Test func setReportsWhatItDid() throws {
        var book = try Self.standardBook()
        #expect(try book.set(.bid, price: px("99"), size: qty("8")) == .updated)
        #expect(try book.set(.bid, price: px("97"), size: qty("8")) == .updated)
        #expect(try book.set(.bid, price: px("100"), size: qty("1")) == .inserted)
        #expect(try book.set(.ask, price: px("101.5"), size: qty("1")) == .inserted)
        #expect(book.size(.bid, at: px("97")) == qty("8"))
        #expect(book.bestBid == BookLevel(price: px("100"), size: qty("1")))
    }

    @Test func bestBidIsTheHighestAndBestAskTheLowest() throws {
        var book = OrderBook(instrument: TestInstruments.btcId)
        #expect(book.bestBid == nil && book.bestAsk == nil)
        for (price, size) in [("98", "1"), ("99", "2"), ("97", "3")] {
            try book.set(.bid, price: px(price), size: qty(size))
        }
        for (price, size) in [("102", "1"), ("101", "2"), ("103", "3")] {
            try book.set(.ask, price: px(price), size: qty(size))
        }
        #expect(book.bestBid == BookLevel(price: px("99"), size: qty("2")))
        #expect(book.bestAsk == BookLevel(price: px("101"), size: qty("2")))
        #expect(book.spread == px("2"))
    }

    @Test(arguments: [0, 1, 2, 3, 10])
    func topNIsTheBestNLevelsOfEachSide(count: Int) throws {
        let book = try Self.standardBook()
        let top = book.top(count)
        #expect(top.bids == Array(Depth.levels(Depth.standardBids).prefix(count)))
        #expect(top.asks == Array(Depth.levels(Depth.standardAsks).prefix(count)))
    }

    @Test func detectsLockedAndCrossedBooks() throws {
        var book = try Self.standardBook()
        #expect(book.cross == nil)
        try book.set(.bid, price: px("101"), size: qty("1"))
        #expect(book.cross == .locked)
        try book.set(.bid, price: px("101.5"), size: qty("1"))
        #expect(book.cross == .crossed)
        #expect(book.spread == px("-0.5"))
        try book.set(.bid, price: px("101.5"), size: .zero)
        try book.set(.bid, price: px("101"), size: .zero)
        #expect(book.cross == nil)
        try book.replace(bids: Depth.levels([("200", "1")]), asks: [], updateId: 1)
        #expect(book.cross == nil)
    }

    @Test func quoteCarriesTheBestLevelsWithTheirSizes() throws {
        let book = try Self.standardBook()
        #expect(book.quote(timeNs: 5) == Quote(instrument: TestInstruments.btcId, bid: px("99"), bidSize: qty("1"), ask: px("101"), askSize: qty("1"), timeNs: 5))
        let oneSided = try OrderBook(instrument: TestInstruments.btcId, bids: Depth.levels([("99", "1")]), asks: [], updateId: 1)
        #expect(oneSided.quote(timeNs: 5) == nil)
    }

    @Test func aDeltaWithABadLevelChangesNothing() throws {
        var book = try Self.standardBook()
        #expect(throws: OrderBookError.negativeSize(.ask, price: px("102"), size: qty("-1"))) {
            try book.apply(bids: Depth.levels([("99", "5")]), asks: Depth.levels([("102", "-1")]), updateId: 11)
        }
        #expect(throws: OrderBookError.nonPositivePrice(.bid, px("0"))) {
            try book.apply(bids: Depth.levels([("98", "5"), ("0", "1")]), asks: [], updateId: 11)
        }
        #expect(throws: OrderBookError.nonPositivePrice(.ask, px("-1"))) {
            try book.set(.ask, price: px("-1"), size: qty("1"))
        }
        #expect(book == (try Self.standardBook()))
    }

    @Test func clearEmptiesBothSides() throws {
        var book = try Self.standardBook()
        book.clear()
        #expect(book.isEmpty)
        #expect(book.updateId == 0)
        #expect(book == OrderBook(instrument: TestInstruments.btcId))
    }

    @Test func snapshotUpdateListsTheWholeBookBestFirst() throws {
        let update = try Self.standardBook().snapshot(timeNs: 9)
        #expect(update == BookUpdate(
            instrument: TestInstruments.btcId, snapshot: true,
            bids: Depth.levels(Depth.standardBids), asks: Depth.levels(Depth.standardAsks), timeNs: 9))
    }

    /// Random level changes against a plain dictionary per side: the book always lists exactly the
    /// dictionary's non-zero levels, best first.
    @Test(arguments: 0..<4)
    func matchesAReferenceModelUnderRandomChanges(seed: Int) throws {
        var generator = SeededGenerator(seed: UInt64(seed))
        var book = OrderBook(instrument: TestInstruments.btcId)
        var reference: [BookSide: [Int64: Int64]] = [.bid: [:], .ask: [:]]
        for step in 0..<3_000 {
            let side: BookSide = generator.nextBounded(2) == 0 ? .bid : .ask
            let price = Int64(generator.nextBounded(60)) + 1
            let size = generator.nextBounded(4) == 0 ? 0 : Int64(generator.nextBounded(1_000)) + 1
            let existed = reference[side]![price] != nil
            let change = try book.set(side, price: Price(units: price), size: Quantity(units: size))
            reference[side]![price] = size == 0 ? nil : size
            switch change {
            case .inserted: #expect(!existed && size > 0)
            case .updated: #expect(existed && size > 0)
            case .removed: #expect(existed && size == 0)
            case .unchanged: #expect(!existed && size == 0)
            }
            if step % 100 == 0 || step == 2_999 {
                let bids = reference[.bid]!.sorted { $0.key > $1.key }.map { BookLevel(price: Price(units: $0.key), size: Quantity(units: $0.value)) }
                let asks = reference[.ask]!.sorted { $0.key < $1.key }.map { BookLevel(price: Price(units: $0.key), size: Quantity(units: $0.value)) }
                #expect(book.levels(.bid) == bids)
                #expect(book.levels(.ask) == asks)
                #expect(book == (try OrderBook(instrument: TestInstruments.btcId, bids: bids.reversed(), asks: asks, updateId: 0)))
            }
        }
    }
}
