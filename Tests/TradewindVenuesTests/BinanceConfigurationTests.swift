import Foundation
import Testing
import TradewindCore
import TradewindVenues

@Suite struct BinanceConfigurationTests {
    private static func valid() -> BinanceConfiguration {
        BinanceConfiguration(instruments: binanceInstruments)
    }

    @Test func defaultsMatchBinance() throws {
        let configuration = Self.valid()
        try configuration.validate()
        #expect(configuration.baseURL.absoluteString == "https://api.binance.com")
        #expect(configuration.recvWindowMs == 5_000)
    }

    /// One bad setting and the key its validation error must name.
    enum BadSetting: CaseIterable {
        case ftpURL, recvWindowTooLong, recvWindowZero, zeroTimeout, zeroConnections, noInstruments, foreignVenue
        case zeroTick, shrinkingMultiplier, zeroAttempts, maxDelayBelowInitial, zeroPollBatch, hugeTradesPage, zeroTradePages

        var key: String {
            switch self {
            case .ftpURL: return "baseURL"
            case .recvWindowTooLong, .recvWindowZero: return "recvWindowMs"
            case .zeroTimeout: return "requestTimeoutMs"
            case .zeroConnections: return "maxConnectionsPerHost"
            case .noInstruments, .foreignVenue: return "instruments"
            case .zeroTick: return "instruments.BINANCE:BTCUSDT"
            case .shrinkingMultiplier: return "retry.multiplier"
            case .zeroAttempts: return "retry.maxAttempts"
            case .maxDelayBelowInitial: return "retry.maxDelayMs"
            case .zeroPollBatch: return "maxOrdersPerPoll"
            case .hugeTradesPage: return "tradesPageLimit"
            case .zeroTradePages: return "maxTradePages"
            }
        }

        func apply(to c: inout BinanceConfiguration) {
            switch self {
            case .ftpURL: c.baseURL = URL(string: "ftp://api.binance.com")!
            case .recvWindowTooLong: c.recvWindowMs = 60_001
            case .recvWindowZero: c.recvWindowMs = 0
            case .zeroTimeout: c.requestTimeoutMs = 0
            case .zeroConnections: c.maxConnectionsPerHost = 0
            case .noInstruments: c.instruments = [:]
            case .foreignVenue:
                let sim = InstrumentId("SIM:BTCUSDT")!
                c.instruments = [sim: Instrument(
                    id: sim, baseAsset: "BTC", quoteAsset: "USDT", tickSize: px("0.01"), lotSize: qty("0.001"), minQuantity: .zero)]
            case .zeroTick: c.instruments[btcusdt]?.tickSize = .zero
            case .shrinkingMultiplier: c.retry.multiplier = 0.5
            case .zeroAttempts: c.retry.maxAttempts = 0
            case .maxDelayBelowInitial: c.retry.maxDelayMs = c.retry.initialDelayMs - 1
            case .zeroPollBatch: c.maxOrdersPerPoll = 0
            case .hugeTradesPage: c.tradesPageLimit = 1_001
            case .zeroTradePages: c.maxTradePages = 0
            }
        }
    }

    @Test(arguments: BadSetting.allCases)
    func validationNamesTheBadKey(setting: BadSetting) {
        var configuration = Self.valid()
        setting.apply(to: &configuration)
        #expect {
            try configuration.validate()
        } throws: { error in
            (error as? ConfigurationError)?.key == setting.key
        }
    }

    @Test func adapterRefusesInvalidConfiguration() {
        var configuration = Self.valid()
        configuration.recvWindowMs = 70_000
        #expect(throws: ConfigurationError.self) {
            try BinanceVenueAdapter(configuration: configuration, credentials: BinanceCredentials(apiKey: "k", secret: "s"))
        }
    }

    @Test func buildsAdapterFromEnvironment() throws {
        let adapter = try BinanceVenueAdapter.fromEnvironment(
            configuration: Self.valid(),
            environment: ["TRADEWIND_BINANCE_API_KEY": "k", "TRADEWIND_BINANCE_API_SECRET": "s"])
        #expect(adapter.name == "BINANCE")
        #expect(throws: ConfigurationError.self) {
            try BinanceVenueAdapter.fromEnvironment(configuration: Self.valid(), environment: [:])
        }
    }
}
