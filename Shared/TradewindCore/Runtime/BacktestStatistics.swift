/// A backtest's figures, accumulated as it runs from what every step produced. Money is exact;
/// ratios are binary floating point, computed in one fixed order so the same run gives the same bits.
public struct BacktestStatistics: Sendable {
    public let initialCapital: Money
    /// Returns for Sharpe and Sortino are taken over this much event time.
    public let returnsIntervalNs: Int64

    public private(set) var finalEquity: Money
    public private(set) var peakEquity: Money
    public private(set) var maxDrawdown: Money = .zero
    public private(set) var maxDrawdownFraction: Double = 0
    public private(set) var maxDrawdownDurationNs: Int64 = 0
    public private(set) var fills = 0
    public private(set) var orders = 0
    public private(set) var roundTrips = 0
    public private(set) var winningRoundTrips = 0
    public private(set) var turnover: Money = .zero
    public private(set) var fees: Money = .zero
    public private(set) var denials = 0
    public private(set) var denialsByReason: [String: Int] = [:]
    /// Realized PnL of each closed round trip, in closing order.
    public private(set) var roundTripPnl: [Money] = []

    private var returns: [Double] = []
    private var periodStartEquity: Money
    private var periodStartNs: Int64?
    private var peakSinceNs: Int64?
    private var firstNs: Int64?
    private var lastNs: Int64?
    private var inMarketNs: Int64 = 0
    private var inMarketSinceNs: Int64?
    private var openTrips: [InstrumentId: Money] = [:]
    private var countedOrders: Set<String> = []

    public init(initialCapital: Money, returnsIntervalNs: Int64) {
        self.initialCapital = initialCapital
        self.returnsIntervalNs = max(1, returnsIntervalNs)
        finalEquity = initialCapital
        peakEquity = initialCapital
        periodStartEquity = initialCapital
    }

    /// Takes one step's outputs and the portfolio after it.
    public mutating func record(_ step: CoreRuntime.Step, portfolio: PortfolioPnl, anyPosition: Bool) {
        let time = step.time
        if firstNs == nil {
            firstNs = time
            periodStartNs = time
            peakSinceNs = time
        }
        for orderEvent in step.orderEvents where countedOrders.insert(orderEvent.order.clientOrderId).inserted {
            orders += 1
        }
        for output in step.riskOutputs {
            guard case .denied(let denial) = output else { continue }
            denials += 1
            denialsByReason[denial.reason.code, default: 0] += 1
        }
        for applied in step.fills { book(applied) }
        observe(equity: .saturating(Int128(initialCapital.units) + Int128(portfolio.totalPnl.units)), atNs: time)
        if anyPosition, inMarketSinceNs == nil { inMarketSinceNs = time }
        if !anyPosition, let since = inMarketSinceNs {
            inMarketNs += time - since
            inMarketSinceNs = nil
        }
        lastNs = time
    }

    private mutating func book(_ applied: PositionBook.AppliedFill) {
        fills += 1
        let report = applied.report
        turnover = .saturating(Int128(turnover.units) + Money.productUnits(report.lastPrice.units, report.lastQuantity.units))
        fees = .saturating(Int128(fees.units) + Int128(report.fee.units))
        let instrument = report.instrument
        let trip = Money.saturating(Int128(openTrips[instrument]?.units ?? 0) + Int128(applied.realizedChange.units))
        let before = applied.position.quantity - report.side.signed(report.lastQuantity)
        let closedOrFlipped = applied.position.quantity.isZero
            || (before.signum != 0 && applied.position.quantity.signum != before.signum)
        if closedOrFlipped {
            roundTrips += 1
            if trip > .zero { winningRoundTrips += 1 }
            roundTripPnl.append(trip)
            openTrips[instrument] = applied.position.quantity.isZero ? nil : .zero
        } else {
            openTrips[instrument] = trip
        }
    }

    private mutating func observe(equity: Money, atNs time: Int64) {
        finalEquity = equity
        if equity >= peakEquity {
            if equity > peakEquity { peakSinceNs = time }
            peakEquity = equity
        } else {
            let drawdown = Money.saturating(Int128(peakEquity.units) - Int128(equity.units))
            if drawdown > maxDrawdown {
                maxDrawdown = drawdown
                maxDrawdownFraction = Double(drawdown.units) / Double(peakEquity.units)
            }
            maxDrawdownDurationNs = max(maxDrawdownDurationNs, time - (peakSinceNs ?? time))
        }
        guard let start = periodStartNs, time - start >= returnsIntervalNs else { return }
        returns.append(Double(equity.units) / Double(periodStartEquity.units) - 1)
        periodStartEquity = equity
        periodStartNs = time
    }

    /// Return over the whole run, as a fraction of the initial capital.
    public var totalReturn: Double { Double(finalEquity.units - initialCapital.units) / Double(initialCapital.units) }

    /// Periods of `returnsIntervalNs` in a 365-day year.
    public var periodsPerYear: Double { 365 * 86_400 * 1e9 / Double(returnsIntervalNs) }

    /// Annualised Sharpe ratio of the interval returns (risk-free rate 0); nil under two returns or no variance.
    public var sharpe: Double? {
        guard returns.count >= 2 else { return nil }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
        guard variance > 0 else { return nil }
        return mean / variance.squareRoot() * periodsPerYear.squareRoot()
    }

    /// Annualised Sortino ratio (downside deviation against 0); nil under two returns or no losses.
    public var sortino: Double? {
        guard returns.count >= 2 else { return nil }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let downside = returns.reduce(0) { $0 + min(0, $1) * min(0, $1) } / Double(returns.count)
        guard downside > 0 else { return nil }
        return mean / downside.squareRoot() * periodsPerYear.squareRoot()
    }

    /// Closed round trips with positive realized PnL, as a fraction; nil before the first.
    public var winRate: Double? { roundTrips == 0 ? nil : Double(winningRoundTrips) / Double(roundTrips) }

    /// Fraction of the run's event time with any position open.
    public var timeInMarket: Double {
        guard let first = firstNs, let last = lastNs, last > first else { return 0 }
        let open = inMarketNs + (inMarketSinceNs.map { last - $0 } ?? 0)
        return Double(open) / Double(last - first)
    }

    /// How returns were sampled, for the report.
    public var samplingNote: String {
        "equity sampled every \(returnsIntervalNs / 1_000_000) ms of event time (\(returns.count) returns); "
            + "Sharpe and Sortino annualised with sqrt(\(Int(periodsPerYear.rounded()))) periods a year; risk-free rate 0"
    }
}
