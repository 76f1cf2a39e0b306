import Foundation
import TradewindCore

/// Settings of the Binance Spot REST adapter; `validate()` names the first bad key.
public struct BinanceConfiguration: Sendable, Hashable, Codable {
    /// REST root, e.g. https://api.binance.com (or https://testnet.binance.vision).
    public var baseURL: URL
    /// How long after `timestamp` Binance may still execute a signed request (1...60000 ms).
    public var recvWindowMs: Int
    /// Time allowed for one HTTP exchange before its outcome counts as unknown.
    public var requestTimeoutMs: Int
    /// Kept-alive connections the HTTP session may open to the venue.
    public var maxConnectionsPerHost: Int
    /// The instruments traded, keyed by id (venue "BINANCE"); symbols and assets come from here.
    public var instruments: [InstrumentId: Instrument]
    /// Retries of `RetryingVenueAdapter` around this adapter.
    public var retry: RetryPolicy
    /// Open orders queried per `poll` call; the rest wait for later calls, least recently polled first.
    public var maxOrdersPerPoll: Int
    /// Trades requested per `myTrades` page (Binance allows 1...1000).
    public var tradesPageLimit: Int
    /// Pages of `myTrades` read per call before stopping.
    public var maxTradePages: Int
    /// How long a fee asset's price (e.g. BNBUSDT, to value a commission taken in BNB) is reused.
    public var feePriceMaxAgeMs: Int

    public init(
        baseURL: URL = URL(string: "https://api.binance.com")!, recvWindowMs: Int = 5_000,
        requestTimeoutMs: Int = 10_000, maxConnectionsPerHost: Int = 4, instruments: [InstrumentId: Instrument],
        retry: RetryPolicy = RetryPolicy(), maxOrdersPerPoll: Int = 20, tradesPageLimit: Int = 1_000,
        maxTradePages: Int = 10, feePriceMaxAgeMs: Int = 10_000
    ) {
        self.baseURL = baseURL
        self.recvWindowMs = recvWindowMs
        self.requestTimeoutMs = requestTimeoutMs
        self.maxConnectionsPerHost = maxConnectionsPerHost
        self.instruments = instruments
        self.retry = retry
        self.maxOrdersPerPoll = maxOrdersPerPoll
        self.tradesPageLimit = tradesPageLimit
        self.maxTradePages = maxTradePages
        self.feePriceMaxAgeMs = feePriceMaxAgeMs
    }

    /// Checks every field, throwing an error that names the key.
    public func validate() throws(ConfigurationError) {
        guard let scheme = baseURL.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = baseURL.host, !host.isEmpty, baseURL.query == nil else {
            throw ConfigurationError(key: "baseURL", value: baseURL.absoluteString, reason: "must be an http(s) URL without a query")
        }
        guard (1...60_000).contains(recvWindowMs) else {
            throw ConfigurationError(key: "recvWindowMs", value: "\(recvWindowMs)", reason: "must be within 1...60000")
        }
        guard (1...300_000).contains(requestTimeoutMs) else {
            throw ConfigurationError(key: "requestTimeoutMs", value: "\(requestTimeoutMs)", reason: "must be within 1...300000")
        }
        guard (1...64).contains(maxConnectionsPerHost) else {
            throw ConfigurationError(
                key: "maxConnectionsPerHost", value: "\(maxConnectionsPerHost)", reason: "must be within 1...64")
        }
        guard !instruments.isEmpty else {
            throw ConfigurationError(key: "instruments", value: "", reason: "must list at least one instrument")
        }
        for (id, instrument) in instruments.sorted(by: { $0.key < $1.key }) {
            guard id.venue == BinanceVenueAdapter.venueName else {
                throw ConfigurationError(
                    key: "instruments", value: id.description, reason: "venue must be \(BinanceVenueAdapter.venueName)")
            }
            guard instrument.id == id else {
                throw ConfigurationError(
                    key: "instruments.\(id)", value: instrument.id.description, reason: "id must match its key")
            }
            do {
                try instrument.validate()
            } catch {
                throw ConfigurationError(key: "instruments.\(id)", value: id.description, reason: error.description)
            }
        }
        try retry.validate()
        guard (1...1_000).contains(maxOrdersPerPoll) else {
            throw ConfigurationError(key: "maxOrdersPerPoll", value: "\(maxOrdersPerPoll)", reason: "must be within 1...1000")
        }
        guard (1...1_000).contains(tradesPageLimit) else {
            throw ConfigurationError(key: "tradesPageLimit", value: "\(tradesPageLimit)", reason: "must be within 1...1000")
        }
        guard (1...1_000).contains(maxTradePages) else {
            throw ConfigurationError(key: "maxTradePages", value: "\(maxTradePages)", reason: "must be within 1...1000")
        }
        guard (0...3_600_000).contains(feePriceMaxAgeMs) else {
            throw ConfigurationError(
                key: "feePriceMaxAgeMs", value: "\(feePriceMaxAgeMs)", reason: "must be within 0...3600000")
        }
    }

    /// The configured instrument trading as `symbol`.
    func instrument(symbol: String) -> Instrument? {
        instruments.values.first { $0.id.symbol == symbol }
    }
}
