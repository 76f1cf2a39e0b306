import TradewindCore

/// `GET /v1/positions`: every position marked to the latest mid, and the portfolio's PnL.
struct PositionsView: Encodable, Sendable {
    var positions: [PositionEntry] = []
    var portfolio: PortfolioEntry?

    init() {}

    init(_ engine: PositionEngine) {
        positions = engine.sortedPositions.map(PositionEntry.init)
        portfolio = PortfolioEntry(engine.portfolio)
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
