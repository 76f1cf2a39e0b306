import TradewindCore
import TradewindDaemonKit

/// The `execution_engine` section: which venue, and the simulated venue's fees and seed.
struct ExecutionEngineSettings: Sendable {
    var instruments: [InstrumentId: Instrument]
    var venue: SimulatedVenue

    /// The venues this build can trade on; real adapters join this list.
    enum Venue: String, CaseIterable { case simulated }

    /// `session` makes the simulated venue's order and trade ids unique across restarts.
    init(_ configuration: SuiteConfiguration, session: String) throws(ConfigError) {
        let section = try configuration.section("execution_engine")
        let catalog = try InstrumentCatalog(configuration)
        _ = try section.oneOf("venue", as: Venue.self)
        let venueConfiguration = SimulatedVenueConfiguration(
            takerFeeBps: try section.int("taker_fee_bps", range: -10_000...10_000),
            makerFeeBps: try section.int("maker_fee_bps", range: -10_000...10_000),
            seed: UInt64(try section.int("seed", range: 0...Int.max)),
            venueName: "SIM-\(session)"
        )
        venue = try section.validate("venue") { try SimulatedVenue(configuration: venueConfiguration) }
        instruments = catalog.instruments
    }
}
