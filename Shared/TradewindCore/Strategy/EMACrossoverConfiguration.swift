/// Configuration of `EMACrossoverStrategy`.
public struct EMACrossoverConfiguration: Sendable, Hashable, Codable {
    /// Strategy name, used in topics and intents.
    public var name: String
    /// Fast EMA period (≥ 1, < slowPeriod).
    public var fastPeriod: Int
    /// Slow EMA period; also the warm-up length in quotes.
    public var slowPeriod: Int
    /// Target absolute position per instrument; instruments not listed get signals only.
    public var orderQuantity: [InstrumentId: Quantity]
    /// Per-session prefix of intent ids ("<idPrefix>-<n>").
    public var idPrefix: String

    public init(name: String, fastPeriod: Int, slowPeriod: Int, orderQuantity: [InstrumentId: Quantity], idPrefix: String) {
        self.name = name
        self.fastPeriod = fastPeriod
        self.slowPeriod = slowPeriod
        self.orderQuantity = orderQuantity
        self.idPrefix = idPrefix
    }

    /// Checks periods, quantities, name and prefix, naming the offending key.
    public func validate() throws(ConfigurationError) {
        guard !name.isEmpty else { throw ConfigurationError(key: "name", value: name, reason: "must be non-empty") }
        guard !idPrefix.isEmpty else { throw ConfigurationError(key: "idPrefix", value: idPrefix, reason: "must be non-empty") }
        guard (1...100_000).contains(fastPeriod) else {
            throw ConfigurationError(key: "fastPeriod", value: "\(fastPeriod)", reason: "must be within 1...100000")
        }
        guard (1...100_000).contains(slowPeriod), fastPeriod < slowPeriod else {
            throw ConfigurationError(key: "slowPeriod", value: "\(slowPeriod)", reason: "must be within 1...100000 and greater than fastPeriod \(fastPeriod)")
        }
        for (instrument, quantity) in orderQuantity.sorted(by: { $0.key < $1.key }) where quantity <= .zero {
            throw ConfigurationError(key: "orderQuantity[\(instrument)]", value: "\(quantity)", reason: "must be > 0")
        }
    }
}
