import TradewindCore

/// Short builders for book levels, venue diffs and snapshots ("price" / "size" as decimal text).
enum Depth {
    static func levels(_ pairs: [(String, String)]) -> [BookLevel] {
        pairs.map { BookLevel(price: px($0.0), size: qty($0.1)) }
    }

    static func diff(_ first: UInt64, _ final: UInt64, bids: [(String, String)] = [], asks: [(String, String)] = [], timeNs: Int64 = 0) -> DepthDiff {
        DepthDiff(firstUpdateId: first, finalUpdateId: final, bids: levels(bids), asks: levels(asks), timeNs: timeNs == 0 ? Int64(clamping: final) : timeNs)
    }

    static func snapshot(_ lastUpdateId: UInt64, bids: [(String, String)], asks: [(String, String)], timeNs: Int64 = 0) -> DepthSnapshot {
        DepthSnapshot(lastUpdateId: lastUpdateId, bids: levels(bids), asks: levels(asks), timeNs: timeNs)
    }

    /// A plain two-sided book: bids 99, 98, 97; asks 101, 102, 103 (sizes 1, 2, 3 from the top).
    static let standardBids = [("99", "1"), ("98", "2"), ("97", "3")]
    static let standardAsks = [("101", "1"), ("102", "2"), ("103", "3")]
}
