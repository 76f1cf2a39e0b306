/// The risk engine's PnL view: positions with cost basis, the UTC day's realized PnL and the equity
/// peak. Totals are kept incrementally so marking a quote costs O(1).
///
/// A position known only by its quantity (restored without cost) is opened in the ledger at the
/// first price seen for it, so its PnL counts from then on.
struct RiskLedger: Sendable {
    private(set) var book: [InstrumentId: Position]
    private(set) var day: UTCDay?
    /// Realized PnL (net of fees) of the fills booked on `day`.
    private(set) var dailyRealizedPnl: Money
    private(set) var equityPeak: Money
    private var realizedUnits: Int128
    private var unrealizedUnits: Int128

    init(book: [Position], day: UTCDay?, dailyRealizedPnl: Money, equityPeak: Money?) {
        self.book = Dictionary(book.map { ($0.instrument, $0) }, uniquingKeysWith: { _, last in last })
        self.day = day
        self.dailyRealizedPnl = dailyRealizedPnl
        realizedUnits = self.book.values.reduce(0) { $0 + Int128($1.realizedPnl.units) }
        unrealizedUnits = self.book.values.reduce(0) { $0 + Int128($1.unrealizedPnl.units) }
        self.equityPeak = .zero
        self.equityPeak = equityPeak ?? equity
    }

    /// Realized + unrealized PnL of every position.
    var equity: Money { .saturating(realizedUnits + unrealizedUnits) }

    /// equityPeak - equity (≥ 0).
    var drawdown: Money { .saturating(Int128(equityPeak.units) - Int128(equity.units)) }

    /// Starts `next` (a later day): its realized PnL starts at zero. Returns false if `next` is not later.
    mutating func roll(to next: UTCDay) -> Bool {
        if let day, next <= day { return false }
        day = next
        dailyRealizedPnl = .zero
        return true
    }

    /// Books a fill to the position that held `heldBefore` (seeding an unknown cost basis at `mid`
    /// or the fill price) and marks it to `mid` if known; the realized change counts for the day of
    /// the fill's time.
    mutating func record(_ fill: Fill, heldBefore: Quantity, mid: Price?) {
        seed(fill.instrument, quantity: heldBefore, price: mid ?? fill.price, timeNs: fill.timeNs)
        let before = book[fill.instrument] ?? Position(instrument: fill.instrument)
        var position = before
        do {
            try position.apply(fill: fill)
        } catch {
            return
        }
        if let mid { position.mark(mid, timeNs: fill.timeNs) }
        replace(before, with: position)
        if let day, UTCDay(timeNs: fill.timeNs) == day {
            dailyRealizedPnl = .saturating(
                Int128(dailyRealizedPnl.units) + Int128(position.realizedPnl.units) - Int128(before.realizedPnl.units))
        }
    }

    /// Marks `instrument` to `mid`, seeding a position of `quantity` not yet in the ledger.
    mutating func mark(_ instrument: InstrumentId, mid: Price, quantity: Quantity, timeNs: Int64) {
        if book[instrument] == nil {
            guard !quantity.isZero else { return }
            seed(instrument, quantity: quantity, price: mid, timeNs: timeNs)
        }
        guard let before = book[instrument] else { return }
        var position = before
        position.mark(mid, timeNs: timeNs)
        replace(before, with: position)
    }

    private mutating func seed(_ instrument: InstrumentId, quantity: Quantity, price: Price, timeNs: Int64) {
        guard book[instrument] == nil, !quantity.isZero, quantity.units != .min, price > .zero else { return }
        var position = Position(instrument: instrument)
        let opening = Fill(
            instrument: instrument, side: quantity > .zero ? .buy : .sell, quantity: quantity.absoluteValue,
            price: price, fee: .zero, tradeId: "", timeNs: timeNs)
        guard (try? position.apply(fill: opening)) != nil else { return }
        replace(nil, with: position)
    }

    /// Swaps `before` (nil for a new position) for `after` in the totals and raises the peak.
    private mutating func replace(_ before: Position?, with after: Position) {
        if let before {
            realizedUnits -= Int128(before.realizedPnl.units)
            unrealizedUnits -= Int128(before.unrealizedPnl.units)
        }
        realizedUnits += Int128(after.realizedPnl.units)
        unrealizedUnits += Int128(after.unrealizedPnl.units)
        book[after.instrument] = after
        let current = equity
        if current > equityPeak { equityPeak = current }
    }
}
