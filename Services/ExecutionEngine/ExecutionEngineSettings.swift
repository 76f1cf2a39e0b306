import TradewindCore
import TradewindDaemonKit

/// The `execution_engine` section: which venue, and the simulated venue's fees and seed.
struct ExecutionEngineSettings: Sendable {
    var execution: SimulatedExecutionLoop

    /// The venues this build can trade on; real adapters join this list.
    enum Venue: String, CaseIterable { case simulated }

    init(_ configuration: SuiteConfiguration) throws(ConfigError) {
        let section = try configuration.section("execution_engine")
        let catalog = try InstrumentCatalog(configuration)
        _ = try section.oneOf("venue", as: Venue.self)
        let venueConfiguration = SimulatedVenueConfiguration(
            takerFeeBps: try section.int("taker_fee_bps", range: -10_000...10_000),
            makerFeeBps: try section.int("maker_fee_bps", range: -10_000...10_000),
            seed: UInt64(try section.int("seed", range: 0...Int.max))
        )
        let venue = try section.validate("venue") { try SimulatedVenue(configuration: venueConfiguration) }
        execution = SimulatedExecutionLoop(core: ExecutionCore(instruments: catalog.instruments), venue: venue)
    }
}
