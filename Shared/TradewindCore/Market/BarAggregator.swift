/// Builds time bars from trades, per instrument; deterministic (output sorted by instrument).
///
/// Intervals are aligned to multiples of `intervalSeconds` since the epoch. Intervals without
/// trades produce no bar. A trade older than the open bar's interval, or with a time so close
/// to the Int64 limits that its interval cannot be represented, is dropped and counted.
public struct BarAggregator: Sendable, Hashable {
    /// Bar length in seconds.
    public let intervalSeconds: Int
    /// Trades dropped because they arrived for an interval already closed (or out of range).
    public private(set) var droppedTradeCount: Int = 0
    private var open: [InstrumentId: Bar] = [:]
    /// The earliest end of an open bar (nil when none is open): `flush` returns at once before it.
    private var earliestEndNs: Int64?

    /// Creates an aggregator; throws unless 1 ≤ intervalSeconds ≤ 1 year.
    public init(intervalSeconds: Int) throws(BarAggregatorError) {
        guard (1...31_536_000).contains(intervalSeconds) else { throw .invalidInterval(intervalSeconds) }
        self.intervalSeconds = intervalSeconds
    }

    /// Bars still being built, sorted by instrument.
    public var openBars: [Bar] { open.keys.sorted().compactMap { open[$0] } }

    /// Adds a trade; returns the instrument's previous bar if the trade starts a later interval.
    public mutating func apply(_ trade: Trade) -> [Bar] {
        guard let start = intervalStart(trade.timeNs) else {
            droppedTradeCount += 1
            return []
        }
        guard var bar = open[trade.instrument] else {
            let opened = newBar(trade, start: start)
            open[trade.instrument] = opened
            earliestEndNs = min(earliestEndNs ?? .max, opened.endTimeNs)
            return []
        }
        if start < bar.startTimeNs {
            droppedTradeCount += 1
            return []
        }
        if start > bar.startTimeNs {
            open[trade.instrument] = newBar(trade, start: start)
            earliestEndNs = open.values.map(\.endTimeNs).min()
            return [bar]
        }
        bar.high = max(bar.high, trade.price)
        bar.low = min(bar.low, trade.price)
        bar.close = trade.price
        bar.volume = (try? bar.volume.adding(trade.size)) ?? .max
        bar.tradeCount += 1
        open[trade.instrument] = bar
        return []
    }

    /// Closes every open bar whose interval ended at or before `timeNs` (timer event).
    public mutating func flush(upTo timeNs: Int64) -> [Bar] {
        guard let earliest = earliestEndNs, earliest <= timeNs else { return [] }
        defer { earliestEndNs = open.values.map(\.endTimeNs).min() }
        var closed: [Bar] = []
        for instrument in open.keys.sorted() {
            guard let bar = open[instrument], bar.endTimeNs <= timeNs else { continue }
            closed.append(bar)
            open[instrument] = nil
        }
        return closed
    }

    private var intervalNs: Int64 { Int64(intervalSeconds) * 1_000_000_000 }

    private func intervalStart(_ timeNs: Int64) -> Int64? {
        Int64(exactly: Int128(DecimalMath.floorDivide(timeNs, intervalNs)) * Int128(intervalNs))
    }

    private func newBar(_ trade: Trade, start: Int64) -> Bar {
        Bar(
            instrument: trade.instrument, startTimeNs: start, intervalSeconds: intervalSeconds,
            open: trade.price, high: trade.price, low: trade.price, close: trade.price,
            volume: trade.size, tradeCount: 1)
    }
}

/// Why a bar aggregator could not be created.
public enum BarAggregatorError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidInterval(Int)

    public var description: String {
        switch self {
        case .invalidInterval(let seconds): return "bar interval \(seconds)s must be within 1...31536000 seconds"
        }
    }
}
