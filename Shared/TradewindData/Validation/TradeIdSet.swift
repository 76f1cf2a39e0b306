/// The trade ids seen for one instrument, as sorted disjoint ranges: venues number trades
/// consecutively, so a day of millions of trades is a handful of ranges, not millions of entries.
struct TradeIdSet {
    private var ranges: [ClosedRange<Int64>] = []

    var rangeCount: Int { ranges.count }

    /// Adds `id`; false when it was already there.
    mutating func insert(_ id: Int64) -> Bool {
        if let last = ranges.last {
            if id > last.upperBound {
                if id == last.upperBound + 1 {
                    ranges[ranges.count - 1] = last.lowerBound...id
                } else {
                    ranges.append(id...id)
                }
                return true
            }
        } else {
            ranges.append(id...id)
            return true
        }
        // an id at or below the highest seen: find the first range ending at or after it
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < id { low = middle + 1 } else { high = middle }
        }
        if ranges[low].contains(id) { return false }
        let joinsBelow = low > 0 && ranges[low - 1].upperBound == id - 1
        let joinsAbove = ranges[low].lowerBound == id + 1
        switch (joinsBelow, joinsAbove) {
        case (true, true):
            ranges[low - 1] = ranges[low - 1].lowerBound...ranges[low].upperBound
            ranges.remove(at: low)
        case (true, false):
            ranges[low - 1] = ranges[low - 1].lowerBound...id
        case (false, true):
            ranges[low] = id...ranges[low].upperBound
        case (false, false):
            ranges.insert(id...id, at: low)
        }
        return true
    }
}
