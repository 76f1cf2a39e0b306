/// Configuration of the deterministic simulated venue.
public struct SimulatedVenueConfiguration: Sendable, Hashable, Codable {
    /// Fee for fills that take liquidity, in basis points of notional (-10000...10000).
    public var takerFeeBps: Int
    /// Fee for resting fills, in basis points (negative = rebate).
    public var makerFeeBps: Int
    /// Seed of the latency jitter.
    public var seed: UInt64
    /// Prefix of venue order ids ("<venueName>-<n>") and trade ids ("<venueName>T-<n>").
    public var venueName: String
    /// Fixed latency added to the time of responses to submits, cancels and queries.
    public var latencyNs: Int64
    /// Extra uniform random latency in 0...latencyJitterNs, drawn from the seeded generator.
    public var latencyJitterNs: Int64
    /// Account balances at start, asset → amount (fills move them; funds are not checked).
    public var initialBalances: [String: Quantity]
    /// How many trades, and how many finished orders, the venue remembers for listings and queries.
    public var historyLimit: Int
    /// Instruments whose base and quote assets fills move; fills of others leave balances alone.
    public var instruments: [InstrumentId: Instrument]

    public init(
        takerFeeBps: Int, makerFeeBps: Int, seed: UInt64, venueName: String = "SIM",
        latencyNs: Int64 = 0, latencyJitterNs: Int64 = 0, initialBalances: [String: Quantity] = [:],
        historyLimit: Int = 10_000, instruments: [InstrumentId: Instrument] = [:]
    ) {
        self.takerFeeBps = takerFeeBps
        self.makerFeeBps = makerFeeBps
        self.seed = seed
        self.venueName = venueName
        self.latencyNs = latencyNs
        self.latencyJitterNs = latencyJitterNs
        self.initialBalances = initialBalances
        self.historyLimit = historyLimit
        self.instruments = instruments
    }

    /// Checks ranges, naming the offending key.
    public func validate() throws(ConfigurationError) {
        guard (-10_000...10_000).contains(takerFeeBps) else {
            throw ConfigurationError(key: "takerFeeBps", value: "\(takerFeeBps)", reason: "must be within -10000...10000")
        }
        guard (-10_000...10_000).contains(makerFeeBps) else {
            throw ConfigurationError(key: "makerFeeBps", value: "\(makerFeeBps)", reason: "must be within -10000...10000")
        }
        guard !venueName.isEmpty else {
            throw ConfigurationError(key: "venueName", value: venueName, reason: "must be non-empty")
        }
        guard (0...60_000_000_000).contains(latencyNs) else {
            throw ConfigurationError(key: "latencyNs", value: "\(latencyNs)", reason: "must be within 0...60000000000")
        }
        guard (0...60_000_000_000).contains(latencyJitterNs) else {
            throw ConfigurationError(key: "latencyJitterNs", value: "\(latencyJitterNs)", reason: "must be within 0...60000000000")
        }
        for (asset, amount) in initialBalances.sorted(by: { $0.key < $1.key }) {
            guard !asset.isEmpty else {
                throw ConfigurationError(key: "initialBalances", value: asset, reason: "asset names must be non-empty")
            }
            guard amount >= .zero else {
                throw ConfigurationError(key: "initialBalances[\(asset)]", value: "\(amount)", reason: "must be >= 0")
            }
        }
        guard (1...1_000_000).contains(historyLimit) else {
            throw ConfigurationError(key: "historyLimit", value: "\(historyLimit)", reason: "must be within 1...1000000")
        }
        for (id, instrument) in instruments.sorted(by: { $0.key < $1.key }) {
            do {
                try instrument.validate()
            } catch {
                throw ConfigurationError(key: "instruments[\(id)]", value: "\(id)", reason: error.description)
            }
        }
    }

    private enum CodingKeys: String, CodingKey {
        case takerFeeBps, makerFeeBps, seed, venueName, latencyNs, latencyJitterNs, initialBalances, historyLimit, instruments
    }

    /// Decodes; keys added after the first version (`initialBalances`, `historyLimit`, `instruments`) may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            takerFeeBps: try container.decode(Int.self, forKey: .takerFeeBps),
            makerFeeBps: try container.decode(Int.self, forKey: .makerFeeBps),
            seed: try container.decode(UInt64.self, forKey: .seed),
            venueName: try container.decode(String.self, forKey: .venueName),
            latencyNs: try container.decode(Int64.self, forKey: .latencyNs),
            latencyJitterNs: try container.decode(Int64.self, forKey: .latencyJitterNs),
            initialBalances: try container.decodeIfPresent([String: Quantity].self, forKey: .initialBalances) ?? [:],
            historyLimit: try container.decodeIfPresent(Int.self, forKey: .historyLimit) ?? 10_000,
            instruments: try container.decodeIfPresent([InstrumentId: Instrument].self, forKey: .instruments) ?? [:])
    }
}
