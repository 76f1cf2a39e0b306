/// One side of an order book: level keys and sizes in two parallel arrays sorted from the worst
/// price to the best, so the best level is the last element and changes at the top of the book
/// move no memory. Bids are keyed by price units, asks by their bitwise complement (which
/// reverses the order without overflow), so both sides search the same ascending array.
struct BookLadder: Sendable, Hashable {
    let side: BookSide
    /// XOR-ed with price units to make a key and back: 0 for bids, all ones (complement) for asks.
    private let keyMask: Int64
    private(set) var keys: [Int64] = []
    private(set) var sizes: [Int64] = []

    init(side: BookSide) {
        self.side = side
        keyMask = Self.keyMask(for: side)
    }

    private static func keyMask(for side: BookSide) -> Int64 {
        switch side {
        case .bid: return 0
        case .ask: return -1
        }
    }

    var count: Int { keys.count }

    @inline(__always)
    func key(for price: Price) -> Int64 {
        price.units ^ keyMask
    }

    @inline(__always)
    func price(forKey key: Int64) -> Price {
        Price(units: key ^ keyMask)
    }

    /// The level at `rank` from the best (0 = best); `rank` must be below `count`.
    @inline(__always)
    func level(atRank rank: Int) -> BookLevel {
        let index = keys.count - 1 - rank
        return BookLevel(price: price(forKey: keys[index]), size: Quantity(units: sizes[index]))
    }

    /// Size resting at `price`, zero if there is no such level.
    func size(at price: Price) -> Quantity {
        let key = key(for: price)
        let index = lowerBound(key)
        guard index < keys.count, keys[index] == key else { return .zero }
        return Quantity(units: sizes[index])
    }

    /// Sets the level at `price` to `size` units (0 removes it); the caller checked both values.
    @inline(__always)
    mutating func set(price: Price, size: Int64) -> BookLevelChange {
        let key = key(for: price)
        let count = keys.count
        if count > 0 {
            let best = keys[count - 1]
            if key == best {
                if size == 0 {
                    keys.removeLast()
                    sizes.removeLast()
                    return .removed
                }
                sizes[count - 1] = size
                return .updated
            }
            if key < best {
                return setInside(key: key, size: size)
            }
        }
        if size == 0 { return .unchanged }
        keys.append(key)
        sizes.append(size)
        return .inserted
    }

    private mutating func setInside(key: Int64, size: Int64) -> BookLevelChange {
        let index = lowerBound(key)
        if keys[index] == key {
            if size == 0 {
                keys.remove(at: index)
                sizes.remove(at: index)
                return .removed
            }
            sizes[index] = size
            return .updated
        }
        if size == 0 { return .unchanged }
        keys.insert(key, at: index)
        sizes.insert(size, at: index)
        return .inserted
    }

    /// A ladder holding `levels` (prices and sizes checked already; zero sizes are skipped), or
    /// the error naming the first price that appears twice.
    init(side: BookSide, levels: [BookLevel]) throws(OrderBookError) {
        self.side = side
        keyMask = Self.keyMask(for: side)
        var pairs: [(key: Int64, size: Int64)] = []
        pairs.reserveCapacity(levels.count)
        for level in levels where !level.size.isZero {
            pairs.append((level.price.units ^ keyMask, level.size.units))
        }
        pairs.sort { $0.key < $1.key }
        for index in pairs.indices.dropFirst() where pairs[index].key == pairs[index - 1].key {
            throw .duplicateLevel(side, price(forKey: pairs[index].key))
        }
        keys = pairs.map(\.key)
        sizes = pairs.map(\.size)
    }

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        sizes.removeAll(keepingCapacity: true)
    }

    /// Index of the first key not below `key`: a binary search whose steps are conditional moves
    /// rather than branches, since random level changes would mispredict half of them.
    @inline(__always)
    private func lowerBound(_ key: Int64) -> Int {
        keys.withUnsafeBufferPointer { buffer in
            var base = 0
            var length = buffer.count
            guard length > 0 else { return 0 }
            while length > 1 {
                let half = length >> 1
                base = buffer[base &+ half] < key ? base &+ half : base
                length &-= half
            }
            return buffer[base] < key ? base &+ 1 : base
        }
    }
}
