/// Any market-data event, as published on the `md.*` topics.
public enum MarketEvent: Sendable, Hashable, Codable {
    case quote(Quote)
    case trade(Trade)
    case book(BookUpdate)
    case bar(Bar)

    /// The instrument the event is about.
    public var instrument: InstrumentId {
        switch self {
        case .quote(let quote): return quote.instrument
        case .trade(let trade): return trade.instrument
        case .book(let book): return book.instrument
        case .bar(let bar): return bar.instrument
        }
    }

    /// Event time (bar: start of the interval), nanoseconds since the Unix epoch.
    public var timeNs: Int64 {
        switch self {
        case .quote(let quote): return quote.timeNs
        case .trade(let trade): return trade.timeNs
        case .book(let book): return book.timeNs
        case .bar(let bar): return bar.startTimeNs
        }
    }

    /// The venue's own time for the event where it is known (never for a bar).
    public var exchangeTimeNs: Int64? {
        switch self {
        case .quote(let quote): return quote.exchangeTimeNs
        case .trade(let trade): return trade.exchangeTimeNs
        case .book(let book): return book.exchangeTimeNs
        case .bar: return nil
        }
    }
}
