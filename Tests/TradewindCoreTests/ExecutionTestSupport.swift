import TradewindCore

/// Views of OMS outputs for assertions.
extension Array where Element == ExecutionOutput {
    var reports: [ExecutionReport] { compactMap { if case .report(let report) = $0 { report } else { nil } } }
    var commands: [VenueCommand] { compactMap { if case .venueCommand(let command) = $0 { command } else { nil } } }
    var discrepancies: [String] { compactMap { if case .discrepancy(_, let detail) = $0 { detail } else { nil } } }
    var refusals: [String] { compactMap { if case .eventRefused(_, let reason) = $0 { reason } else { nil } } }
    var duplicates: [String] { compactMap { if case .duplicateIgnored(_, let detail) = $0 { detail } else { nil } } }
}

/// Views of execution-slice outputs for assertions.
extension Array where Element == ExecutionSlice.Output {
    var reports: [ExecutionReport] {
        compactMap { if case .orderEvent(let event) = $0 { event.report } else { nil } }
    }
}

enum ExecutionFixtures {
    /// An execution slice wired to `venue` in process, with no latency.
    static func slice(core: ExecutionCore, venue: SimulatedVenue) throws -> ExecutionSlice {
        ExecutionSlice(core: core, link: try SimulatedVenueLink(venue: venue, latency: .zero, seed: 1))
    }

    static let instruments = [TestInstruments.btcId: TestInstruments.btc, TestInstruments.ethId: TestInstruments.eth]

    static func core(policy: ExecutionPolicy = .defaults) -> ExecutionCore {
        ExecutionCore(instruments: instruments, policy: policy)
    }

    static func venue(
        seed: UInt64 = 1, takerFeeBps: Int = 10, makerFeeBps: Int = -2, latencyNs: Int64 = 0, jitterNs: Int64 = 0,
        balances: [String: Quantity] = [:], historyLimit: Int = 10_000
    ) throws -> SimulatedVenue {
        try SimulatedVenue(configuration: SimulatedVenueConfiguration(
            takerFeeBps: takerFeeBps, makerFeeBps: makerFeeBps, seed: seed, latencyNs: latencyNs,
            latencyJitterNs: jitterNs, initialBalances: balances, historyLimit: historyLimit, instruments: instruments))
    }

    static func filled(
        _ id: String, _ tradeId: String, _ quantity: String, at price: String, time: Int64, venueOrderId: String = "V-1"
    ) -> ExecutionEvent {
        .venue(.filled(clientOrderId: id, venueOrderId: venueOrderId, tradeId: tradeId, quantity: qty(quantity),
                       price: px(price), fee: usd("0.01"), liquidity: .taker, timeNs: time))
    }

    static func snapshot(
        _ id: String, _ state: VenueOrderState, filled: String = "0", quantity: String = "3", venueOrderId: String = "V-9",
        side: Side = .buy, limit: String? = "100", time: Int64 = 500
    ) -> VenueOrderSnapshot {
        VenueOrderSnapshot(
            clientOrderId: id, venueOrderId: venueOrderId, instrument: TestInstruments.btcId, side: side,
            orderType: limit == nil ? .market : .limit, timeInForce: .gtc, quantity: qty(quantity),
            limitPrice: limit.map(px), filledQuantity: qty(filled), averagePrice: .zero, state: state, timeNs: time)
    }
}

/// Drives an OMS and a simulated venue by hand, so tests can drop venue responses on purpose.
struct ManualVenueHarness {
    var core: ExecutionCore
    var venue: SimulatedVenue

    /// Applies `event`; venue commands are executed and their answers applied, unless `deliver` is false.
    @discardableResult
    mutating func apply(_ event: ExecutionEvent, deliver: Bool = true) -> [ExecutionOutput] {
        let outputs = core.apply(event)
        var all = outputs
        for command in outputs.commands {
            let answers = venue.handle(command, timeNs: event.timeNs)
            guard deliver else { continue }
            for answer in answers { all += apply(.venue(answer)) }
        }
        return all
    }

    /// Feeds a quote to both; the venue's fills are delivered only if `deliver`.
    @discardableResult
    mutating func quote(_ quote: Quote, deliver: Bool = true) -> [ExecutionOutput] {
        var outputs = core.apply(.quote(quote))
        let fills = venue.onQuote(quote)
        if deliver { for fill in fills { outputs += apply(.venue(fill)) } }
        return outputs
    }
}
