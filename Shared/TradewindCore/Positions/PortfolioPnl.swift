/// Portfolio-wide PnL and exposure, published on `pnl.portfolio`.
public struct PortfolioPnl: Sendable, Hashable, Codable {
    /// Sum of realized PnL (net of fees).
    public var realizedPnl: Money
    public var unrealizedPnl: Money
    public var fees: Money
    /// realizedPnl + unrealizedPnl.
    public var totalPnl: Money
    /// Highest totalPnl seen (starts at zero).
    public var peakTotalPnl: Money
    /// peakTotalPnl - totalPnl (≥ 0).
    public var drawdown: Money
    /// Σ |quantity| × mark over open positions.
    public var grossExposure: Money
    /// Number of non-flat positions.
    public var openPositions: Int
    public var timeNs: Int64

    public init(
        realizedPnl: Money, unrealizedPnl: Money, fees: Money, totalPnl: Money, peakTotalPnl: Money,
        drawdown: Money, grossExposure: Money, openPositions: Int, timeNs: Int64
    ) {
        self.realizedPnl = realizedPnl
        self.unrealizedPnl = unrealizedPnl
        self.fees = fees
        self.totalPnl = totalPnl
        self.peakTotalPnl = peakTotalPnl
        self.drawdown = drawdown
        self.grossExposure = grossExposure
        self.openPositions = openPositions
        self.timeNs = timeNs
    }

    /// An empty portfolio.
    public static var zero: PortfolioPnl {
        PortfolioPnl(
            realizedPnl: .zero, unrealizedPnl: .zero, fees: .zero, totalPnl: .zero, peakTotalPnl: .zero,
            drawdown: .zero, grossExposure: .zero, openPositions: 0, timeNs: 0)
    }
}
