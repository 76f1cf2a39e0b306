import Synchronization
import TradewindBus
import TradewindCore
import TradewindVenues

/// The deterministic `SimulatedVenue` behind the `VenueAdapter` interface, so the engine drives it
/// exactly like a real venue: requests answer after the configured latency (the venue stamps its
/// events with the same latency), and quotes fill resting orders at once.
final class SimulatedVenueAdapter: VenueAdapter {
    let name: String
    private let venue: Mutex<SimulatedVenue>
    private let latencyNs: Int64

    init(venue: SimulatedVenue) {
        name = venue.configuration.venueName
        latencyNs = venue.configuration.latencyNs
        self.venue = Mutex(venue)
    }

    func submit(_ order: ApprovedOrder) async throws(VenueError) -> [VenueEvent] {
        await respond { $0.handle(.submit(order), timeNs: $1) }
    }

    func cancel(clientOrderId: String, instrument: InstrumentId) async throws(VenueError) -> [VenueEvent] {
        await respond { $0.handle(.cancel(clientOrderId: clientOrderId, instrument: instrument), timeNs: $1) }
    }

    func query(clientOrderId: String, instrument: InstrumentId) async throws(VenueError) -> [VenueEvent] {
        await respond { $0.handle(.query(clientOrderId: clientOrderId, instrument: instrument), timeNs: $1) }
    }

    func openOrders(instruments: [InstrumentId]) async throws(VenueError) -> [VenueOrderSnapshot] {
        await respond { venue, _ in venue.openOrders(instruments: instruments) }
    }

    func trades(instrument: InstrumentId, sinceNs: Int64) async throws(VenueError) -> [VenueTrade] {
        await respond { venue, _ in venue.trades(instrument: instrument, sinceNs: sinceNs) }
    }

    func account() async throws(VenueError) -> VenueAccount {
        await respond { $0.account(timeNs: $1) }
    }

    func onQuote(_ quote: Quote) -> [VenueEvent] {
        venue.withLock { $0.onQuote(quote) }
    }

    /// The simulated venue reports resting fills as quotes arrive (`onQuote`): nothing to poll.
    func poll(openOrders: [Order]) async throws(VenueError) -> [VenueEvent] { [] }

    /// Runs `body` on the venue now and returns its answer after the configured latency.
    private func respond<T: Sendable>(_ body: (inout SimulatedVenue, Int64) -> T) async -> T {
        let result = venue.withLock { body(&$0, WallClock.nowNs()) }
        if latencyNs > 0 {
            try? await Task.sleep(for: .nanoseconds(latencyNs))
        }
        return result
    }
}
