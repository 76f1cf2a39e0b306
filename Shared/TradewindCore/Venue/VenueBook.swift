/// One instrument's L2 book as the simulated venue sees it: the market's levels exactly as the data
/// gives them (`book`), less the liquidity our own taker orders took, which stays taken until an
/// update sets that level again or a snapshot replaces the book (the data never shows our trades).
///
/// It also remembers, at the prices where one of our orders rests, the size others traded there
/// since the level last changed, so the next decrease of that level is not counted twice: trades
/// printed at a price are assumed to show in the next update of that level.
public struct VenueBook: Sendable, Hashable {
    /// The market's book, as the updates left it.
    public private(set) var book: OrderBook
    private var taken: [BookSide: [Int64: Int64]] = [:]
    private var traded: [BookSide: [Int64: Int64]] = [:]

    /// A change of the displayed size at one watched price, as an update made it.
    struct LevelChange: Sendable, Hashable {
        /// What the level lost that trades since its last change do not explain (cancellations).
        var canceled: Quantity
        /// The displayed size after the update.
        var size: Quantity
    }

    public init(instrument: InstrumentId) {
        book = OrderBook(instrument: instrument)
    }

    /// Applies a snapshot (replaces every level) or a delta (absolute sizes, 0 removes a level).
    /// Liquidity taken at a level the update sets is forgotten, all of it on a snapshot. On error
    /// nothing changed.
    public mutating func apply(_ update: BookUpdate) throws(OrderBookError) {
        try book.apply(update, updateId: book.updateId &+ 1)
        if update.snapshot {
            taken = [:]
            return
        }
        for level in update.bids { taken[.bid]?[level.price.units] = nil }
        for level in update.asks { taken[.ask]?[level.price.units] = nil }
    }

    /// The size displayed at `price` on `side` (what queues behind), taken liquidity included.
    public func displayed(_ side: BookSide, at price: Price) -> Quantity {
        book.size(side, at: price)
    }

    /// The size a taker can still get at `price` on `side`.
    public func available(_ side: BookSide, at price: Price) -> Quantity {
        available(side, level: BookLevel(price: price, size: book.size(side, at: price)))
    }

    /// The best level of `side` that still has size for a taker, with that size.
    public func bestAvailable(_ side: BookSide) -> BookLevel? {
        var rank = 0
        while let level = book.level(side, rank: rank) {
            let size = available(side, level: level)
            if size > .zero { return BookLevel(price: level.price, size: size) }
            rank += 1
        }
        return nil
    }

    /// Takes up to `quantity` from `side`, best level first, at prices no worse than `limit` (any
    /// price when nil): one entry per level touched, with its price and the size taken there.
    public mutating func take(_ quantity: Quantity, from side: BookSide, limit: Price?) -> [BookLevel] {
        var remaining = quantity
        var fills: [BookLevel] = []
        var rank = 0
        while remaining > .zero, let level = book.level(side, rank: rank) {
            rank += 1
            if let limit, side == .ask ? level.price > limit : level.price < limit { break }
            let size = min(remaining, available(side, level: level))
            guard size > .zero else { continue }
            fills.append(BookLevel(price: level.price, size: size))
            taken[side, default: [:]][level.price.units, default: 0] += size.units
            remaining -= size
        }
        return fills
    }

    /// Others traded `size` at `price` against `side` (only recorded where one of our orders rests).
    mutating func recordTrade(_ side: BookSide, at price: Price, size: Quantity) {
        let held = Int128(traded[side]?[price.units] ?? 0)
        traded[side, default: [:]][price.units] = Quantity.saturating(held + Int128(size.units)).units
    }

    /// The displayed size at each of `prices` on `side` before an update (paired with `changes`).
    func sizes(_ side: BookSide, at prices: [Price]) -> [Quantity] {
        prices.map { book.size(side, at: $0) }
    }

    /// How each of `prices` on `side` changed from `before`: the part of a decrease that trades
    /// since the level's last change do not explain, and the new size. The trades are forgotten at
    /// every level that changed.
    mutating func changes(_ side: BookSide, at prices: [Price], before: [Quantity]) -> [LevelChange] {
        var result: [LevelChange] = []
        result.reserveCapacity(prices.count)
        var changed: [Int64] = []
        for (price, old) in zip(prices, before) {
            let new = book.size(side, at: price)
            let decrease = old > new ? old - new : .zero
            let explained = Quantity(units: traded[side]?[price.units] ?? 0)
            result.append(LevelChange(canceled: decrease > explained ? decrease - explained : .zero, size: new))
            if new != old { changed.append(price.units) }
        }
        for units in changed { traded[side]?[units] = nil }
        return result
    }

    /// Forgets every trade remembered on `side` at `price` (no order of ours rests there any more).
    mutating func forgetTrades(_ side: BookSide, at price: Price) {
        traded[side]?[price.units] = nil
    }

    private func available(_ side: BookSide, level: BookLevel) -> Quantity {
        let held = taken[side]?[level.price.units] ?? 0
        return level.size.units > held ? Quantity(units: level.size.units - held) : .zero
    }
}
