/// A price-level (L2) order book for one instrument: a pure value, deterministic and `Sendable`.
///
/// Each side keeps its levels in sorted contiguous arrays with the best price last, so a change at
/// the top of the book is O(1) and any other change is a binary search plus a short move; applying
/// a level allocates nothing once the arrays have grown. Prices must be positive and sizes not
/// negative; a size of zero removes a level, and removing a level the book does not have is a
/// no-op. The book does not forbid a crossed state: `cross` reports it, the caller decides.
public struct OrderBook: Sendable, Hashable {
    public let instrument: InstrumentId
    /// The venue's update id the book reflects (Binance `lastUpdateId`, then each applied `u`).
    public private(set) var updateId: UInt64
    private var bidLadder: BookLadder
    private var askLadder: BookLadder

    /// An empty book at update id 0.
    public init(instrument: InstrumentId) {
        self.instrument = instrument
        updateId = 0
        bidLadder = BookLadder(side: .bid)
        askLadder = BookLadder(side: .ask)
    }

    /// A book holding exactly the given levels (in any order; zero sizes are skipped).
    public init(instrument: InstrumentId, bids: [BookLevel], asks: [BookLevel], updateId: UInt64) throws(OrderBookError) {
        self.init(instrument: instrument)
        try replace(bids: bids, asks: asks, updateId: updateId)
    }

    // MARK: Changing the book

    /// Replaces every level with a snapshot's (in any order; zero sizes are skipped). On error the
    /// book is unchanged.
    public mutating func replace(bids: [BookLevel], asks: [BookLevel], updateId: UInt64) throws(OrderBookError) {
        try Self.check(bids, side: .bid)
        try Self.check(asks, side: .ask)
        let newBids = try BookLadder(side: .bid, levels: bids)
        let newAsks = try BookLadder(side: .ask, levels: asks)
        bidLadder = newBids
        askLadder = newAsks
        self.updateId = updateId
    }

    /// Applies a delta: each level's size becomes the given absolute size (0 removes the level),
    /// then the book is at `updateId`. Every level is checked first, so on error nothing changed.
    public mutating func apply(bids: [BookLevel], asks: [BookLevel], updateId: UInt64) throws(OrderBookError) {
        try Self.check(bids, side: .bid)
        try Self.check(asks, side: .ask)
        for level in bids {
            _ = bidLadder.set(price: level.price, size: level.size.units)
        }
        for level in asks {
            _ = askLadder.set(price: level.price, size: level.size.units)
        }
        self.updateId = updateId
    }

    /// Applies a published snapshot (replace) or delta (apply) and moves to `updateId`.
    public mutating func apply(_ update: BookUpdate, updateId: UInt64) throws(OrderBookError) {
        if update.snapshot {
            try replace(bids: update.bids, asks: update.asks, updateId: updateId)
        } else {
            try apply(bids: update.bids, asks: update.asks, updateId: updateId)
        }
    }

    /// Sets one level to the absolute `size` (0 removes it) without moving `updateId`; the unit
    /// of work of every delta.
    @discardableResult
    @inline(__always)
    public mutating func set(_ side: BookSide, price: Price, size: Quantity) throws(OrderBookError) -> BookLevelChange {
        guard price.units > 0 else { throw .nonPositivePrice(side, price) }
        guard size.units >= 0 else { throw .negativeSize(side, price: price, size: size) }
        switch side {
        case .bid: return bidLadder.set(price: price, size: size.units)
        case .ask: return askLadder.set(price: price, size: size.units)
        }
    }

    /// Removes every level and returns to update id 0.
    public mutating func clear() {
        bidLadder.removeAll()
        askLadder.removeAll()
        updateId = 0
    }

    // MARK: Reading the book

    /// The highest bid, if any.
    public var bestBid: BookLevel? { best(.bid) }

    /// The lowest ask, if any.
    public var bestAsk: BookLevel? { best(.ask) }

    /// The best level of `side`, if any.
    public func best(_ side: BookSide) -> BookLevel? {
        switch side {
        case .bid: return bidLadder.count == 0 ? nil : bidLadder.level(atRank: 0)
        case .ask: return askLadder.count == 0 ? nil : askLadder.level(atRank: 0)
        }
    }

    /// The level `rank` places from the best of `side` (0 = best), if the side has that many.
    public func level(_ side: BookSide, rank: Int) -> BookLevel? {
        let ladder = self.ladder(side)
        guard rank >= 0, rank < ladder.count else { return nil }
        return ladder.level(atRank: rank)
    }

    /// Number of levels on `side`.
    public func depth(_ side: BookSide) -> Int { ladder(side).count }

    /// True when neither side has a level.
    public var isEmpty: Bool { bidLadder.count == 0 && askLadder.count == 0 }

    /// Up to `limit` levels of `side`, best first (bids highest first, asks lowest first).
    public func levels(_ side: BookSide, limit: Int = .max) -> [BookLevel] {
        let ladder = self.ladder(side)
        let count = Swift.min(Swift.max(limit, 0), ladder.count)
        var result: [BookLevel] = []
        result.reserveCapacity(count)
        for rank in 0..<count {
            result.append(ladder.level(atRank: rank))
        }
        return result
    }

    /// The best `count` levels of each side, best first.
    public func top(_ count: Int) -> (bids: [BookLevel], asks: [BookLevel]) {
        (levels(.bid, limit: count), levels(.ask, limit: count))
    }

    /// Size resting at `price` on `side`; zero if there is no such level.
    public func size(_ side: BookSide, at price: Price) -> Quantity {
        ladder(side).size(at: price)
    }

    /// `.locked` when best bid == best ask, `.crossed` when best bid > best ask, else nil
    /// (including when a side is empty).
    public var cross: BookCross? {
        guard let bidKey = bidLadder.keys.last, let askKey = askLadder.keys.last else { return nil }
        let bid = bidKey
        let ask = ~askKey
        if bid < ask { return nil }
        return bid == ask ? .locked : .crossed
    }

    /// Best ask minus best bid, when both sides have a level (negative when crossed).
    public var spread: Price? {
        guard let bid = bestBid?.price, let ask = bestAsk?.price else { return nil }
        return .saturating(Int128(ask.units) - Int128(bid.units))
    }

    /// Top of book as a `Quote` stamped `timeNs`, when both sides have a level.
    public func quote(timeNs: Int64) -> Quote? {
        guard let bid = bestBid, let ask = bestAsk else { return nil }
        return Quote(instrument: instrument, bid: bid.price, bidSize: bid.size, ask: ask.price, askSize: ask.size, timeNs: timeNs)
    }

    /// The whole book as a snapshot `BookUpdate` (levels best first), as published on (re)sync.
    public func snapshot(timeNs: Int64) -> BookUpdate {
        BookUpdate(instrument: instrument, snapshot: true, bids: levels(.bid), asks: levels(.ask), timeNs: timeNs)
    }

    @inline(__always)
    private func ladder(_ side: BookSide) -> BookLadder {
        switch side {
        case .bid: return bidLadder
        case .ask: return askLadder
        }
    }

    /// Throws for the first level with a non-positive price or a negative size.
    static func check(_ levels: [BookLevel], side: BookSide) throws(OrderBookError) {
        for level in levels {
            guard level.price.units > 0 else { throw .nonPositivePrice(side, level.price) }
            guard level.size.units >= 0 else { throw .negativeSize(side, price: level.price, size: level.size) }
        }
    }
}

/// What setting one level did to the book.
public enum BookLevelChange: String, Sendable, Hashable, CaseIterable {
    /// A new price level appeared.
    case inserted
    /// An existing level got a new size.
    case updated
    /// An existing level was removed (size 0).
    case removed
    /// A size of 0 for a price the book does not have: nothing to do.
    case unchanged
}

/// A level the book refuses: the book is left as it was.
public enum OrderBookError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A price of zero or below.
    case nonPositivePrice(BookSide, Price)
    /// A size below zero.
    case negativeSize(BookSide, price: Price, size: Quantity)
    /// A snapshot listing the same price twice on one side.
    case duplicateLevel(BookSide, Price)

    public var description: String {
        switch self {
        case .nonPositivePrice(let side, let price):
            return "\(side) level price \(price) must be > 0"
        case .negativeSize(let side, let price, let size):
            return "\(side) level at \(price) has negative size \(size)"
        case .duplicateLevel(let side, let price):
            return "snapshot lists \(side) level \(price) twice"
        }
    }
}
