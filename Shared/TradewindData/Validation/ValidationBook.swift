/// The price levels of one instrument's book as validation replays it: each side a sorted array
/// of prices (units) with their sizes, so the best bid and ask are an array end away and a level
/// change is a binary search and a short move.
struct ValidationBook {
    /// Ascending prices; the best bid is the last.
    private var bidPrices: [Int64] = []
    private var bidSizes: [Int64] = []
    /// Ascending prices; the best ask is the first.
    private var askPrices: [Int64] = []
    private var askSizes: [Int64] = []

    var bestBid: Int64? { bidPrices.last }
    var bestAsk: Int64? { askPrices.first }
    var depth: (bids: Int, asks: Int) { (bidPrices.count, askPrices.count) }

    mutating func clear() {
        bidPrices.removeAll(keepingCapacity: true)
        bidSizes.removeAll(keepingCapacity: true)
        askPrices.removeAll(keepingCapacity: true)
        askSizes.removeAll(keepingCapacity: true)
    }

    /// Sets the level at `price` to `size`; size 0 (or below) removes it.
    mutating func set(ask: Bool, price: Int64, size: Int64) {
        if ask {
            Self.set(&askPrices, &askSizes, price, size)
        } else {
            Self.set(&bidPrices, &bidSizes, price, size)
        }
    }

    private static func set(_ prices: inout [Int64], _ sizes: inout [Int64], _ price: Int64, _ size: Int64) {
        var low = 0
        var high = prices.count
        while low < high {
            let middle = (low + high) / 2
            if prices[middle] < price { low = middle + 1 } else { high = middle }
        }
        let present = low < prices.count && prices[low] == price
        switch (present, size > 0) {
        case (true, true): sizes[low] = size
        case (true, false):
            prices.remove(at: low)
            sizes.remove(at: low)
        case (false, true):
            prices.insert(price, at: low)
            sizes.insert(size, at: low)
        case (false, false): break
        }
    }
}
