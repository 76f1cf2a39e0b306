/// Realized PnL (net of fees) and fees of the fills applied on one UTC day (by fill event time).
public struct DailyPnl: Sendable, Hashable, Codable {
    public var day: UTCDay
    public var realizedPnl: Money
    public var fees: Money
    public var fillCount: Int

    public init(day: UTCDay, realizedPnl: Money = .zero, fees: Money = .zero, fillCount: Int = 0) {
        self.day = day
        self.realizedPnl = realizedPnl
        self.fees = fees
        self.fillCount = fillCount
    }
}

/// Daily realized PnL of the fills a position engine applied; sums saturate instead of trapping.
public struct DailyPnlBook: Sendable {
    public private(set) var days: [UTCDay: DailyPnl]

    /// A book holding `days` (e.g. restored from the database).
    public init(_ days: [DailyPnl] = []) {
        self.days = Dictionary(days.map { ($0.day, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// How much a fill changed its position's realized PnL (`before` is nil for a new position).
    public static func realizedChange(before: Position?, after: Position) -> Money {
        .saturating(Int128(after.realizedPnl.units) - Int128(before?.realizedPnl.units ?? 0))
    }

    /// Books one applied fill: its realized PnL change and its fee go to the UTC day of the fill's
    /// time. Returns that day's totals.
    public mutating func record(_ fill: Fill, realizedChange: Money) -> DailyPnl {
        let day = UTCDay(timeNs: fill.timeNs)
        var totals = days[day] ?? DailyPnl(day: day)
        totals.realizedPnl = .saturating(Int128(totals.realizedPnl.units) + Int128(realizedChange.units))
        totals.fees = .saturating(Int128(totals.fees.units) + Int128(fill.fee.units))
        totals.fillCount += 1
        days[day] = totals
        return totals
    }

    /// The day's totals, if any fill was booked on it.
    public subscript(day: UTCDay) -> DailyPnl? { days[day] }
}
