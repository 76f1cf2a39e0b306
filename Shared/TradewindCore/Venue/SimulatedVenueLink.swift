/// The simulated venue as the OMS meets it, in event time: a command sent while the engine handles
/// an event of (exchange) time t reaches the venue at t + market-data latency + order-entry latency
/// (+ seeded jitter), and the venue answers at that moment. Before the venue takes a market event
/// (a quote, a book update, a trade on an instrument with a book), every command due strictly
/// earlier is executed against the book it had; a command due at the same time as a market event
/// reaches the venue after it. With zero latency a command executes at once, against the market
/// the decision was made on. The same link runs in the daemon and in a backtest, so both see the
/// same fills.
public struct SimulatedVenueLink: Sendable {
    public private(set) var venue: SimulatedVenue
    public let latency: Latency
    private var generator: SeededGenerator
    private var inFlight: [InFlight] = []
    private var sent: UInt64 = 0

    /// How long market data takes to reach us and our orders to reach the venue.
    public struct Latency: Sendable, Hashable, Codable {
        /// From the venue's event to our seeing it.
        public var marketDataNs: Int64
        /// From our sending a command to the venue taking it.
        public var orderEntryNs: Int64
        /// Up to this much more, drawn per command from the link's seeded generator.
        public var jitterNs: Int64

        public init(marketDataNs: Int64 = 0, orderEntryNs: Int64 = 0, jitterNs: Int64 = 0) {
            self.marketDataNs = marketDataNs
            self.orderEntryNs = orderEntryNs
            self.jitterNs = jitterNs
        }

        public static let zero = Latency()

        /// Checks every latency is within 0...60 s.
        public func validate() throws(ConfigurationError) {
            for (key, value) in [("marketDataNs", marketDataNs), ("orderEntryNs", orderEntryNs), ("jitterNs", jitterNs)]
            where !(0...60_000_000_000).contains(value) {
                throw ConfigurationError(key: key, value: "\(value)", reason: "must be within 0...60000000000")
            }
        }
    }

    private struct InFlight: Sendable {
        var dueNs: Int64
        var order: UInt64
        var command: VenueCommand
    }

    public init(venue: SimulatedVenue, latency: Latency, seed: UInt64) throws(ConfigurationError) {
        try latency.validate()
        self.venue = venue
        self.latency = latency
        generator = SeededGenerator(seed: seed)
    }

    /// Commands sent and not yet at the venue.
    public var inFlightCount: Int { inFlight.count }

    /// When the next command reaches the venue, if any is on its way.
    public var nextDueNs: Int64? { inFlight.first?.dueNs }

    /// Sends `command` at event time `timeNs`; returns the venue's answers if it arrives at once.
    public mutating func send(_ command: VenueCommand, atNs timeNs: Int64) -> [VenueEvent] {
        var delay = latency.marketDataNs + latency.orderEntryNs
        if latency.jitterNs > 0 { delay += Int64(generator.nextBounded(UInt64(latency.jitterNs) + 1)) }
        let (due, overflow) = timeNs.addingReportingOverflow(delay)
        if delay == 0 { return venue.handle(command, timeNs: timeNs) }
        sent += 1
        let entry = InFlight(dueNs: overflow ? .max : due, order: sent, command: command)
        let index = inFlight.firstIndex { ($0.dueNs, $0.order) > (entry.dueNs, entry.order) } ?? inFlight.endIndex
        inFlight.insert(entry, at: index)
        return []
    }

    /// The venue takes a quote: commands due before it first, then the resting orders it fills.
    public mutating func take(_ quote: Quote) -> [VenueEvent] {
        var events = deliver(before: quote.timeNs)
        events += venue.onQuote(quote)
        return events
    }

    /// The venue takes an L2 book update: commands due before it first, then the orders it fills.
    public mutating func take(_ update: BookUpdate) -> [VenueEvent] {
        var events = deliver(before: update.timeNs)
        events += venue.onBook(update)
        return events
    }

    /// The venue takes a public trade, which only matters for an instrument with a book: commands
    /// due before it first, then the resting orders it fills. Without a book it is not an event of
    /// the venue at all (so quote-only runs deliver commands exactly as before books existed).
    public mutating func take(_ trade: Trade) -> [VenueEvent] {
        guard venue.hasBook(trade.instrument) else { return [] }
        var events = deliver(before: trade.timeNs)
        events += venue.onTrade(trade)
        return events
    }

    /// The venue forgets `instrument`'s book until the next snapshot (see `SimulatedVenue.dropBook`).
    public mutating func dropBook(_ instrument: InstrumentId) {
        venue.dropBook(instrument)
    }

    /// Time passes with no market event (a live clock): commands due by `timeNs` reach the venue.
    public mutating func advance(to timeNs: Int64) -> [VenueEvent] {
        deliver(before: timeNs == .max ? .max : timeNs + 1)
    }

    private mutating func deliver(before timeNs: Int64) -> [VenueEvent] {
        var events: [VenueEvent] = []
        while let next = inFlight.first, next.dueNs < timeNs {
            inFlight.removeFirst()
            events += venue.handle(next.command, timeNs: next.dueNs)
        }
        return events
    }
}
