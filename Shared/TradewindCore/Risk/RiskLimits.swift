/// Risk configuration: tradable instruments and their limits.
public struct RiskLimits: Sendable, Hashable, Codable {
    /// Instruments intents may trade.
    public var allowedInstruments: Set<InstrumentId>
    /// Trading rules (tick, lot, minimum) of every allowed instrument.
    public var instruments: [InstrumentId: Instrument]
    /// Largest notional of a single order.
    public var maxOrderNotional: Money
    /// Largest absolute position per instrument.
    public var maxPosition: [InstrumentId: Quantity]
    /// Largest absolute position for instruments without an entry in `maxPosition`.
    public var defaultMaxPosition: Quantity
    /// How long an approved order may go without any execution report before its exposure is
    /// released (it was lost before reaching execution).
    public var unacknowledgedOrderTimeoutNs: Int64

    public init(
        allowedInstruments: Set<InstrumentId>, instruments: [InstrumentId: Instrument],
        maxOrderNotional: Money, maxPosition: [InstrumentId: Quantity], defaultMaxPosition: Quantity,
        unacknowledgedOrderTimeoutNs: Int64 = 5_000_000_000
    ) {
        self.allowedInstruments = allowedInstruments
        self.instruments = instruments
        self.maxOrderNotional = maxOrderNotional
        self.maxPosition = maxPosition
        self.defaultMaxPosition = defaultMaxPosition
        self.unacknowledgedOrderTimeoutNs = unacknowledgedOrderTimeoutNs
    }

    /// The absolute position limit of `instrument`.
    public func positionLimit(for instrument: InstrumentId) -> Quantity {
        maxPosition[instrument] ?? defaultMaxPosition
    }

    /// Checks cross-field rules, naming the offending key.
    public func validate() throws(ConfigurationError) {
        for id in allowedInstruments.sorted() {
            guard let instrument = instruments[id] else {
                throw ConfigurationError(key: "allowedInstruments", value: "\(id)", reason: "no instrument definition")
            }
            do {
                try instrument.validate()
            } catch {
                throw ConfigurationError(key: "instruments[\(id)]", value: "\(id)", reason: error.description)
            }
        }
        guard maxOrderNotional > .zero else {
            throw ConfigurationError(key: "maxOrderNotional", value: "\(maxOrderNotional)", reason: "must be > 0")
        }
        guard defaultMaxPosition >= .zero else {
            throw ConfigurationError(key: "defaultMaxPosition", value: "\(defaultMaxPosition)", reason: "must be >= 0")
        }
        guard unacknowledgedOrderTimeoutNs > 0 else {
            throw ConfigurationError(
                key: "unacknowledgedOrderTimeoutNs", value: "\(unacknowledgedOrderTimeoutNs)", reason: "must be > 0")
        }
        for (id, limit) in maxPosition.sorted(by: { $0.key < $1.key }) where limit < .zero {
            throw ConfigurationError(key: "maxPosition[\(id)]", value: "\(limit)", reason: "must be >= 0")
        }
    }
}
