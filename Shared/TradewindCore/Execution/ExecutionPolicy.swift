/// Configuration of the OMS (`ExecutionCore`), validated when built or decoded.
public struct ExecutionPolicy: Sendable, Hashable, Codable {
    /// An order in SUBMITTED or PENDING_CANCEL with no venue response for this long is queried,
    /// and queried again every `inFlightTimeoutNs` until the venue's answer resolves it.
    public let inFlightTimeoutNs: Int64
    /// Oldest quote (relative to the order's time) the slippage guard may use as its reference.
    public let maxQuoteAgeNs: Int64
    /// Protection of MARKET orders against trading far from the mid; nil = off.
    public let slippageGuard: SlippageGuard?

    /// 5 s in-flight timeout, 5 s quote age, no slippage guard.
    public static let defaults = ExecutionPolicy(
        validatedInFlightTimeoutNs: 5_000_000_000, maxQuoteAgeNs: 5_000_000_000, slippageGuard: nil)

    /// Creates a policy; throws naming the first key out of range.
    public init(
        inFlightTimeoutNs: Int64 = 5_000_000_000, maxQuoteAgeNs: Int64 = 5_000_000_000,
        slippageGuard: SlippageGuard? = nil
    ) throws(ConfigurationError) {
        self.init(validatedInFlightTimeoutNs: inFlightTimeoutNs, maxQuoteAgeNs: maxQuoteAgeNs, slippageGuard: slippageGuard)
        try validate()
    }

    private init(validatedInFlightTimeoutNs inFlightTimeoutNs: Int64, maxQuoteAgeNs: Int64, slippageGuard: SlippageGuard?) {
        self.inFlightTimeoutNs = inFlightTimeoutNs
        self.maxQuoteAgeNs = maxQuoteAgeNs
        self.slippageGuard = slippageGuard
    }

    /// Checks ranges, naming the offending key.
    public func validate() throws(ConfigurationError) {
        let hour: Int64 = 3_600_000_000_000
        guard (1_000_000...hour).contains(inFlightTimeoutNs) else {
            throw ConfigurationError(key: "inFlightTimeoutNs", value: "\(inFlightTimeoutNs)", reason: "must be within 1000000...\(hour) (1 ms to 1 h)")
        }
        guard (0...hour).contains(maxQuoteAgeNs) else {
            throw ConfigurationError(key: "maxQuoteAgeNs", value: "\(maxQuoteAgeNs)", reason: "must be within 0...\(hour)")
        }
        try slippageGuard?.validate()
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case inFlightTimeoutNs, maxQuoteAgeNs, slippageGuard
    }

    /// Decodes with defaults for absent keys, refuses unknown keys, then validates.
    public init(from decoder: any Decoder) throws {
        try ConfigurationKeys.refuseUnknown(in: decoder, known: CodingKeys.allCases.map(\.stringValue), section: "execution policy")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            validatedInFlightTimeoutNs: try container.decodeIfPresent(Int64.self, forKey: .inFlightTimeoutNs)
                ?? ExecutionPolicy.defaults.inFlightTimeoutNs,
            maxQuoteAgeNs: try container.decodeIfPresent(Int64.self, forKey: .maxQuoteAgeNs) ?? ExecutionPolicy.defaults.maxQuoteAgeNs,
            slippageGuard: try container.decodeIfPresent(SlippageGuard.self, forKey: .slippageGuard))
        try validate()
    }
}
