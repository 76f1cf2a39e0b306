import TradewindCore

/// `GET /v1/positions`: every position marked to the latest mid, the portfolio's PnL, the
/// sequence number of the last fill applied and realized PnL of the latest UTC days.
struct PositionsView: Encodable, Sendable {
    var positions: [PositionEntry] = []
    var portfolio: PortfolioEntry?
    var appliedSeq: Int64 = 0
    var dailyPnl: [DailyPnlEntry] = []
    /// Reads of the engine's fills (after a start, a gap or an engine restart) still to come.
    var resyncReadsPending = 0

    static let dailyLimit = 7

    init() {}

    init(_ book: PositionBook, resyncReadsPending: Int) {
        self.resyncReadsPending = resyncReadsPending
        positions = book.engine.sortedPositions.map(PositionEntry.init)
        portfolio = PortfolioEntry(book.engine.portfolio)
        appliedSeq = book.appliedSeq
        dailyPnl = book.daily.days.keys.sorted().suffix(Self.dailyLimit).compactMap { book.daily[$0].map(DailyPnlEntry.init) }
    }

    enum CodingKeys: String, CodingKey {
        case positions, portfolio
        case appliedSeq = "applied_seq"
        case dailyPnl = "daily_pnl"
        case resyncReadsPending = "resync_reads_pending"
    }
}

struct DailyPnlEntry: Encodable, Sendable {
    var day: String
    var realizedPnl: Money
    var fees: Money
    var fillCount: Int

    init(_ totals: DailyPnl) {
        day = totals.day.description
        realizedPnl = totals.realizedPnl
        fees = totals.fees
        fillCount = totals.fillCount
    }

    enum CodingKeys: String, CodingKey {
        case day, fees
        case realizedPnl = "realized_pnl"
        case fillCount = "fill_count"
    }
}

struct PositionEntry: Encodable, Sendable {
    var instrument: String
    var quantity: Quantity
    var averagePrice: Price
    var markPrice: Price?
    var realizedPnl: Money
    var unrealizedPnl: Money
    var fees: Money
    var fillCount: Int

    init(_ position: Position) {
        instrument = position.instrument.description
        quantity = position.quantity
        averagePrice = position.averagePrice
        markPrice = position.markPrice
        realizedPnl = position.realizedPnl
        unrealizedPnl = position.unrealizedPnl
        fees = position.fees
        fillCount = position.fillCount
    }

    enum CodingKeys: String, CodingKey {
        case instrument, quantity, fees
        case averagePrice = "average_price"
        case markPrice = "mark_price"
        case realizedPnl = "realized_pnl"
        case unrealizedPnl = "unrealized_pnl"
        case fillCount = "fill_count"
    }
}

struct PortfolioEntry: Encodable, Sendable {
    var pnl: PortfolioPnl

    init(_ pnl: PortfolioPnl) { self.pnl = pnl }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pnl.realizedPnl, forKey: .realizedPnl)
        try container.encode(pnl.unrealizedPnl, forKey: .unrealizedPnl)
        try container.encode(pnl.fees, forKey: .fees)
        try container.encode(pnl.totalPnl, forKey: .totalPnl)
        try container.encode(pnl.peakTotalPnl, forKey: .peakTotalPnl)
        try container.encode(pnl.drawdown, forKey: .drawdown)
        try container.encode(pnl.grossExposure, forKey: .grossExposure)
        try container.encode(pnl.openPositions, forKey: .openPositions)
    }

    enum CodingKeys: String, CodingKey {
        case fees, drawdown
        case realizedPnl = "realized_pnl"
        case unrealizedPnl = "unrealized_pnl"
        case totalPnl = "total_pnl"
        case peakTotalPnl = "peak_total_pnl"
        case grossExposure = "gross_exposure"
        case openPositions = "open_positions"
    }
}
