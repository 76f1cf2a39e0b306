import Foundation
import TradewindCore

/// The L2 book's per-delta cost: one level change at a time on `OrderBook`, and whole venue diffs
/// through `DepthSynchronizer` (the path a live feed takes), timed in batches of `batch` deltas
/// because one delta is far below the clock's resolution. Prints figures only.
enum BookBench {
    struct LevelChange {
        var side: BookSide
        var price: Price
        var size: Quantity
    }

    static let tick: Int64 = 1_000_000  // 0.01 in units of 10⁻⁸
    static let batch = 1_000

    /// A random walk of the mid (one tick in 20 changes) with `window` levels each side kept
    /// populated: a change resizes a level 1...`window` ticks from the mid (10% of changes remove
    /// one), and a mid move removes the levels that left the window, as a venue's diffs would.
    static func changes(count: Int, window: Int64, seed: UInt64) -> [LevelChange] {
        var generator = SeededGenerator(seed: seed)
        var mid: Int64 = 6_500_000 * tick  // 65000.00
        var result: [LevelChange] = []
        result.reserveCapacity(count + count / 5)
        func size(_ generator: inout SeededGenerator) -> Quantity {
            Quantity(units: Int64(generator.nextBounded(500_000_000)) + 1_000)
        }
        while result.count < count {
            if generator.nextBounded(20) == 0 {
                let up = generator.nextBounded(2) == 0
                mid += up ? tick : -tick
                if up {
                    result.append(LevelChange(side: .ask, price: Price(units: mid), size: .zero))
                    result.append(LevelChange(side: .bid, price: Price(units: mid - (window + 1) * tick), size: .zero))
                } else {
                    result.append(LevelChange(side: .bid, price: Price(units: mid), size: .zero))
                    result.append(LevelChange(side: .ask, price: Price(units: mid + (window + 1) * tick), size: .zero))
                }
                continue
            }
            let side: BookSide = generator.nextBounded(2) == 0 ? .bid : .ask
            let offset = (Int64(generator.nextBounded(UInt64(window))) + 1) * tick
            let price = Price(units: side == .bid ? mid - offset : mid + offset)
            let remove = generator.nextBounded(10) == 0
            result.append(LevelChange(side: side, price: price, size: remove ? .zero : size(&generator)))
        }
        return Array(result.prefix(count))
    }

    /// Full levels `depth` each side around 65000.00, as a snapshot would bring.
    static func seedLevels(depth: Int64) -> (bids: [BookLevel], asks: [BookLevel]) {
        let mid: Int64 = 6_500_000 * tick
        let bids = (1...depth).map { BookLevel(price: Price(units: mid - $0 * tick), size: Quantity(units: 100_000_000)) }
        let asks = (1...depth).map { BookLevel(price: Price(units: mid + $0 * tick), size: Quantity(units: 100_000_000)) }
        return (bids, asks)
    }

    static func report(_ name: String, perBatch: [Double], unit: String, count: Int, totalNs: Double) {
        let sorted = perBatch.sorted()
        let median = sorted[sorted.count / 2]
        let p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
        let label = name.padding(toLength: 44, withPad: " ", startingAt: 0)
        print(String(format: "%@ n=%d  mean %.1f ns/%@  batch median %.1f  p99 %.1f", label, count, totalNs / Double(count), unit, median, p99))
    }

    /// Applies `count` single-level deltas to a book seeded with `depth` levels each side.
    static func levelDeltas(count: Int, depth: Int64, window: Int64) throws {
        let seeded = seedLevels(depth: depth)
        var book = try OrderBook(instrument: try InstrumentId(parsing: "BINANCE:BTCUSDT"), bids: seeded.bids, asks: seeded.asks, updateId: 1)
        let deltas = changes(count: count, window: window, seed: 42)
        var perBatch: [Double] = []
        var total = 0.0
        var start = 0
        while start < deltas.count {
            let end = min(start + batch, deltas.count)
            let began = DispatchTime.now().uptimeNanoseconds
            for index in start..<end {
                let delta = deltas[index]
                try book.set(delta.side, price: delta.price, size: delta.size)
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - began)
            perBatch.append(elapsed / Double(end - start))
            total += elapsed
            start = end
        }
        report("book: one delta level (\(depth)/side, top \(window))", perBatch: perBatch, unit: "delta", count: deltas.count, totalNs: total)
        print("      book after: \(book.depth(.bid)) bids, \(book.depth(.ask)) asks, best \(book.bestBid?.price.description ?? "-") / \(book.bestAsk?.price.description ?? "-")")
    }

    /// Feeds `count` venue diffs of 1-`maxLevels` levels through a live synchronizer (validation,
    /// update-id checks, book, cross check, the published delta), with one reused output array.
    static func synchronizerDiffs(count: Int, depth: Int64, maxLevels: Int) throws {
        let instrument = try InstrumentId(parsing: "BINANCE:BTCUSDT")
        var generator = SeededGenerator(seed: 7)
        let levelChanges = changes(count: count * maxLevels, window: 20, seed: 43)
        var diffs: [DepthDiff] = []
        diffs.reserveCapacity(count)
        var cursor = 0
        var updateId: UInt64 = 1_000
        var levelTotal = 0
        while diffs.count < count {
            let levels = Int(generator.nextBounded(UInt64(maxLevels))) + 1
            var bids: [BookLevel] = []
            var asks: [BookLevel] = []
            var seenBids: Set<Price> = []
            var seenAsks: Set<Price> = []
            // the last change per side and price, as a venue coalesces one diff
            for change in levelChanges[cursor..<(cursor + levels)].reversed() {
                let level = BookLevel(price: change.price, size: change.size)
                switch change.side {
                case .bid: if seenBids.insert(change.price).inserted { bids.append(level) }
                case .ask: if seenAsks.insert(change.price).inserted { asks.append(level) }
                }
            }
            cursor += levels
            levelTotal += bids.count + asks.count
            diffs.append(DepthDiff(firstUpdateId: updateId + 1, finalUpdateId: updateId + UInt64(levels), bids: bids, asks: asks, timeNs: Int64(updateId)))
            updateId += UInt64(levels)
        }
        let seeded = seedLevels(depth: depth)
        var sync = try DepthSynchronizer(instrument: instrument, configuration: DepthSynchronizerConfiguration(crossedBook: .report))
        _ = sync.apply(.diff(DepthDiff(firstUpdateId: 900, finalUpdateId: 1_000, bids: [], asks: [], timeNs: 0)))
        _ = sync.apply(.snapshot(DepthSnapshot(lastUpdateId: 1_000, bids: seeded.bids, asks: seeded.asks, timeNs: 0)))
        var outputs: [DepthSynchronizer.Output] = []
        outputs.reserveCapacity(8)
        var published = 0
        var perBatch: [Double] = []
        var total = 0.0
        var start = 0
        while start < diffs.count {
            let end = min(start + batch, diffs.count)
            let began = DispatchTime.now().uptimeNanoseconds
            for index in start..<end {
                outputs.removeAll(keepingCapacity: true)
                sync.apply(.diff(diffs[index]), into: &outputs)
                published &+= outputs.count
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - began)
            perBatch.append(elapsed / Double(end - start))
            total += elapsed
            start = end
        }
        report("sync: one diff of 1-\(maxLevels) levels (\(depth)/side)", perBatch: perBatch, unit: "diff", count: diffs.count, totalNs: total)
        print(String(format: "      %.1f levels/diff, %.1f ns/level; %d outputs, state %@, %d gaps", Double(levelTotal) / Double(count),
                     total / Double(levelTotal), published, sync.state.rawValue, sync.counters.gaps))
    }

    static func run(iterations: Int) throws {
        let deltas = max(iterations * 5, 100_000)
        try levelDeltas(count: deltas, depth: 20, window: 20)
        try levelDeltas(count: deltas, depth: 5_000, window: 20)
        try levelDeltas(count: deltas, depth: 5_000, window: 500)
        try synchronizerDiffs(count: deltas / 5, depth: 20, maxLevels: 20)
    }
}
