import Testing
import TradewindData
@testable import TradewindDaemonKit

@Suite struct DataSettingsTests {
    @Test func dataRootDefaultsToDataAndIsOverridable() throws {
        #expect(try DataSettings(ConfigFixtures.suite()).root == DataRoot(path: "data"))
        #expect(try DataSettings(ConfigFixtures.suite(file: #"{"data": {"root": "/srv/tw"}}"#)).root.path == "/srv/tw")
        let fromEnvironment = try DataSettings(ConfigFixtures.suite(environment: ["TRADEWIND_DATA_ROOT": "/mnt/data"]))
        #expect(fromEnvironment.root.path(of: .canonical) == "/mnt/data/canonical")
        // TRADEWIND_DATABASE_* still reaches the database section, not data
        #expect(try ConfigFixtures.suite(environment: ["TRADEWIND_DATABASE_BATCH_SIZE": "5"]).section("database").int("batch_size") == 5)
    }

    @Test func unknownOrEmptyDataKeysAreRefusedByName() {
        #expect(ConfigFixtures.error { try ConfigFixtures.suite(file: #"{"data": {"rot": "x"}}"#) } == .unknownKey(path: "data.rot"))
        #expect(ConfigFixtures.error { try DataSettings(ConfigFixtures.suite(file: #"{"data": {"root": ""}}"#)) }
            == .invalidValue(path: "data.root", value: "\"\"", reason: "must not be empty"))
    }

    @Test func syntheticFeedSettingsFollowTheMarketDataSection() throws {
        let settings = try SyntheticFeedSettings(ConfigFixtures.suite(file: #"{"market_data": {"seed": 9, "ticks_per_second": 50}}"#))
        #expect(settings.configuration.seed == 9 && settings.ticksPerSecond == 50 && settings.barIntervalSeconds == 60)
        #expect(settings.configuration.instruments.map(\.instrument.id.description) == ["SIM:BTCUSDT", "SIM:ETHUSDT"])
        #expect(settings.configuration.instruments[0].startPrice.description == "65000")
    }
}
