import TradewindCore

/// Short builders for the simulated venue over an L2 book (prices and sizes as decimal text).
enum L2 {
    static func snapshot(bids: [(String, String)], asks: [(String, String)], timeNs: Int64 = 1_000,
                         instrument: InstrumentId = TestInstruments.btcId) -> BookUpdate {
        BookUpdate(instrument: instrument, snapshot: true, bids: Depth.levels(bids), asks: Depth.levels(asks), timeNs: timeNs)
    }

    static func delta(bids: [(String, String)] = [], asks: [(String, String)] = [], timeNs: Int64 = 2_000,
                      instrument: InstrumentId = TestInstruments.btcId) -> BookUpdate {
        BookUpdate(instrument: instrument, snapshot: false, bids: Depth.levels(bids), asks: Depth.levels(asks), timeNs: timeNs)
    }

    /// A public trade; `aggressor` is the side that crossed the spread.
    static func trade(_ aggressor: Side, _ size: String, at price: String, timeNs: Int64 = 3_000) -> Trade {
        Trade(instrument: TestInstruments.btcId, price: px(price), size: qty(size), aggressor: aggressor, tradeId: "\(timeNs)", timeNs: timeNs)
    }

    /// The standard book: bids 99×1, 98×2, 97×3; asks 101×1, 102×2, 103×3.
    static let standard = snapshot(bids: Depth.standardBids, asks: Depth.standardAsks)

    /// A venue (taker 10 bps, maker -2 bps, no latency) holding the standard book.
    static func venue() throws -> SimulatedVenue {
        var venue = try ExecutionFixtures.venue()
        _ = venue.onBook(standard)
        return venue
    }
}

extension Array where Element == VenueEvent {
    /// The fills as "quantity@price liquidity" (e.g. "1.5@102 taker"), in order.
    var fillsSeen: [String] {
        compactMap { event in
            guard case .filled(_, _, _, let quantity, let price, _, let liquidity, _, _) = event else { return nil }
            return "\(quantity)@\(price) \(liquidity)"
        }
    }

    /// The fees of the fills, in order.
    var fees: [Money] {
        compactMap { event in
            guard case .filled(_, _, _, _, _, let fee, _, _, _) = event else { return nil }
            return fee
        }
    }
}
