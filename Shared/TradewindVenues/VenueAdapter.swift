import TradewindCore

/// A venue as the execution engine's host drives it: the OMS (`ExecutionCore`) emits
/// `VenueCommand`s, the host calls the adapter off the bus thread, and feeds the returned
/// `VenueEvent`s back to the OMS in order. Errors are classified (`VenueError`) so the host
/// retries only what is safe to retry.
public protocol VenueAdapter: Sendable {
    /// Venue name for logs, metrics and circuit breakers, e.g. "BINANCE" or "SIM-k3x9".
    var name: String { get }

    /// Places a new order. Returns what the venue answered: `.accepted`, fills it executed at
    /// once, `.canceled` for an unfilled IOC/market remainder, or `.rejected`.
    func submit(_ order: ApprovedOrder) async throws(VenueError) -> [VenueEvent]

    /// Cancels an open order: `.canceled`, or `.cancelRejected` if the venue refuses.
    func cancel(clientOrderId: String, instrument: InstrumentId) async throws(VenueError) -> [VenueEvent]

    /// The order's current state: its fills known at the venue (`.filled`, with trade ids, so
    /// fills already applied are ignored downstream), then `.orderStatus`; or `.notFound`.
    func query(clientOrderId: String, instrument: InstrumentId) async throws(VenueError) -> [VenueEvent]

    /// Every open order at the venue on these instruments (ours or not).
    func openOrders(instruments: [InstrumentId]) async throws(VenueError) -> [VenueOrderSnapshot]

    /// Our trades on `instrument` at or after `sinceNs`.
    func trades(instrument: InstrumentId, sinceNs: Int64) async throws(VenueError) -> [VenueTrade]

    /// Balances of the trading account.
    func account() async throws(VenueError) -> VenueAccount

    /// Market data: a simulated venue matches resting orders against it and returns the fills;
    /// real venues ignore it and return nothing. Called on the bus thread; must not block.
    func onQuote(_ quote: Quote) -> [VenueEvent]

    /// Events the venue produced on its own for these open orders since the last call (fills of
    /// resting orders, expiries). REST venues poll for them; push venues return what they buffered.
    func poll(openOrders: [Order]) async throws(VenueError) -> [VenueEvent]
}
