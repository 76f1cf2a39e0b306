/// The position tracker's whole decision state: the position engine, the UTC days' realized PnL
/// and the sequence number of the last applied fill (continued across restarts), advanced together
/// by each fill so a host, a backtest and a restore never book them differently.
public struct PositionBook: Sendable {
    public private(set) var engine: PositionEngine
    public private(set) var daily: DailyPnlBook
    /// Sequence number of the last fill applied (1, 2, 3, ... over the book's whole life).
    public private(set) var appliedSeq: Int64
    /// Event time of the newest fill applied.
    public private(set) var lastFillTimeNs: Int64

    /// One fill as the book applied it: what a host persists together and publishes.
    public struct AppliedFill: Sendable, Hashable {
        public let report: ExecutionReport
        public let key: String
        public let appliedSeq: Int64
        /// How much the fill changed its position's realized PnL.
        public let realizedChange: Money
        public let position: Position
        public let day: DailyPnl
        public let portfolio: PortfolioPnl
    }

    /// What applying a fill did.
    public enum FillOutcome: Sendable, Hashable {
        case applied(AppliedFill)
        /// Already applied (its key was seen): nothing changed.
        case duplicate
        /// The position engine refused it (invalid values), with why.
        case refused(reason: String)
    }

    public init(engine: PositionEngine = PositionEngine(), daily: DailyPnlBook = DailyPnlBook(), appliedSeq: Int64 = 0, lastFillTimeNs: Int64 = 0) {
        self.engine = engine
        self.daily = daily
        self.appliedSeq = appliedSeq
        self.lastFillTimeNs = lastFillTimeNs
    }

    /// Applies a fill report (other reports change nothing and count as duplicates).
    public mutating func apply(fill report: ExecutionReport) -> FillOutcome {
        let before = engine.positions[report.instrument]
        let outputs = engine.apply(.executionReport(report))
        for output in outputs {
            if case .fillRefused(_, let reason) = output { return .refused(reason: reason) }
        }
        guard case .position(let after)? = outputs.first, let fill = report.fill else { return .duplicate }
        appliedSeq += 1
        lastFillTimeNs = max(lastFillTimeNs, report.timeNs)
        let realizedChange = DailyPnlBook.realizedChange(before: before, after: after)
        let day = daily.record(fill, realizedChange: realizedChange)
        return .applied(AppliedFill(
            report: report, key: PositionEngine.fillKey(report), appliedSeq: appliedSeq, realizedChange: realizedChange,
            position: after, day: day, portfolio: engine.portfolio))
    }

    /// Marks positions to the quote's mid; true if a mark changed.
    public mutating func apply(quote: Quote) -> Bool {
        engine.mark(quote) != nil
    }
}
