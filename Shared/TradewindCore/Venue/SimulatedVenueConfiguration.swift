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
    /// Fixed latency added to the time of responses to submits and cancels.
    public var latencyNs: Int64
    /// Extra uniform random latency in 0...latencyJitterNs, drawn from the seeded generator.
    public var latencyJitterNs: Int64

    public init(
        takerFeeBps: Int, makerFeeBps: Int, seed: UInt64, venueName: String = "SIM",
        latencyNs: Int64 = 0, latencyJitterNs: Int64 = 0
    ) {
        self.takerFeeBps = takerFeeBps
        self.makerFeeBps = makerFeeBps
        self.seed = seed
        self.venueName = venueName
        self.latencyNs = latencyNs
        self.latencyJitterNs = latencyJitterNs
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
    }
}
