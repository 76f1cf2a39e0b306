/// Input of the position engine.
public enum PositionEvent: Sendable, Hashable, Codable {
    /// Fill and partial-fill reports update positions; other reports are ignored.
    case executionReport(ExecutionReport)
    /// Marks the instrument's position to the quote mid.
    case quote(Quote)
}

/// Output of the position engine.
public enum PositionOutput: Sendable, Hashable, Codable {
    case position(Position)
    case portfolio(PortfolioPnl)
    /// A fill report that could not be applied (invalid values), with the reason.
    case fillRefused(tradeId: String, reason: String)
}

/// Nets fills into positions and marks them to market (position-tracker logic).
///
/// Fills are deduplicated by (instrument, trade id) — or (client order id, event number) when a
/// report has no trade id — so a replayed report never counts twice.
public struct PositionEngine: Sendable {
    public private(set) var positions: [InstrumentId: Position]
    public private(set) var portfolio: PortfolioPnl
    private var seenFills: BoundedSet<String>
    private var lastMids: [InstrumentId: Price] = [:]
    /// Duplicate fill reports ignored so far.
    public private(set) var duplicateFillCount = 0

    /// Creates the engine, optionally restoring positions, seen fill keys and the PnL peak.
    public init(positions: [Position] = [], seenFillKeys: Set<String> = [], peakTotalPnl: Money = .zero) {
        self.positions = Dictionary(positions.map { ($0.instrument, $0) }, uniquingKeysWith: { _, last in last })
        self.seenFills = BoundedSet(capacity: DedupeMemory.capacity, seenFillKeys)
        self.portfolio = .zero
        self.portfolio.peakTotalPnl = peakTotalPnl
        self.portfolio = computePortfolio(timeNs: 0)
    }

    /// Positions sorted by instrument.
    public var sortedPositions: [Position] { positions.keys.sorted().compactMap { positions[$0] } }

    /// Keys of fills already applied (for persistence).
    public var seenFillKeys: Set<String> { seenFills.elements }

    /// The dedupe key of a fill report.
    public static func fillKey(_ report: ExecutionReport) -> String {
        report.tradeId.isEmpty
            ? "order:\(report.clientOrderId)#\(report.eventNumber)"
            : "trade:\(report.instrument)|\(report.tradeId)"
    }

    public mutating func apply(_ event: PositionEvent) -> [PositionOutput] {
        switch event {
        case .executionReport(let report):
            return applyReport(report)
        case .quote(let quote):
            guard let position = mark(quote) else { return [] }
            return [.position(position), .portfolio(portfolio)]
        }
    }

    /// Marks the instrument's position to the quote's mid; returns it if it is open (the portfolio
    /// is then current too), nil if there is nothing to mark.
    public mutating func mark(_ quote: Quote) -> Position? {
        guard quote.isTwoSided else { return nil }
        let mid = quote.mid
        lastMids[quote.instrument] = mid
        guard var position = positions[quote.instrument] else { return nil }
        position.mark(mid, timeNs: quote.timeNs)
        positions[quote.instrument] = position
        guard !position.isFlat else { return nil }
        portfolio = computePortfolio(timeNs: quote.timeNs)
        return position
    }

    private mutating func applyReport(_ report: ExecutionReport) -> [PositionOutput] {
        guard let fill = report.fill else { return [] }
        let key = PositionEngine.fillKey(report)
        guard !seenFills.contains(key) else {
            duplicateFillCount += 1
            return []
        }
        var position = positions[report.instrument] ?? Position(instrument: report.instrument)
        if position.markPrice == nil, let mid = lastMids[report.instrument] {
            position.mark(mid, timeNs: report.timeNs)
        }
        do {
            try position.apply(fill: fill)
        } catch {
            return [.fillRefused(tradeId: report.tradeId, reason: error.description)]
        }
        seenFills.insert(key)
        positions[report.instrument] = position
        portfolio = computePortfolio(timeNs: report.timeNs)
        return [.position(position), .portfolio(portfolio)]
    }

    private func computePortfolio(timeNs: Int64) -> PortfolioPnl {
        var realized: Int128 = 0
        var unrealized: Int128 = 0
        var fees: Int128 = 0
        var gross: Int128 = 0
        var open = 0
        for position in positions.values {
            realized += Int128(position.realizedPnl.units)
            unrealized += Int128(position.unrealizedPnl.units)
            fees += Int128(position.fees.units)
            if !position.isFlat {
                open += 1
                gross += Int128(position.marketValue.units.magnitude)
            }
        }
        let total = Money.saturating(realized + unrealized)
        let peak = max(portfolio.peakTotalPnl, total)
        return PortfolioPnl(
            realizedPnl: .saturating(realized), unrealizedPnl: .saturating(unrealized), fees: .saturating(fees),
            totalPnl: total, peakTotalPnl: peak, drawdown: .saturating(Int128(peak.units) - Int128(total.units)),
            grossExposure: .saturating(gross), openPositions: open, timeNs: timeNs)
    }
}
