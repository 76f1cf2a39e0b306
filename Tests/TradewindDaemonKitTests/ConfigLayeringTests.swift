import Foundation
import Testing
@testable import TradewindDaemonKit

@Suite struct ConfigLayeringTests {
    @Test func defaultsDecodeForEveryDaemonSection() throws {
        let suite = try ConfigFixtures.suite()
        let sections = ["market_data", "signal_bridge", "risk_manager", "execution_engine", "position_tracker"]
        let ports = try sections.map { try DaemonCommonConfiguration(section: suite.section($0)).httpPort }
        #expect(ports == [9101, 9102, 9103, 9104, 9105])
        let risk = try DaemonCommonConfiguration(section: suite.section("risk_manager"))
        let workingDirectory = FileManager.default.currentDirectoryPath
        #expect(risk.pubEndpoint == "ipc://\(workingDirectory)/.run/bus/risk-manager.pub")
        #expect(risk.heartbeatInterval == .milliseconds(500))
        #expect(risk.heartbeatTimeout == .seconds(3))
        #expect(risk.httpAddress == "127.0.0.1:9103")
    }

    @Test(arguments: [
        ("ipc:///var/run/tw.pub", "ipc:///var/run/tw.pub"),
        ("tcp://127.0.0.1:5555", "tcp://127.0.0.1:5555"),
        ("ipc://@abstract", "ipc://@abstract"),
    ])
    func absoluteEndpointsAreKept(endpoint: String, expected: String) {
        #expect(DaemonCommonConfiguration.absolute(endpoint) == expected)
    }

    @Test func relativeIpcEndpointsResolveAgainstTheWorkingDirectory() {
        let workingDirectory = FileManager.default.currentDirectoryPath
        #expect(DaemonCommonConfiguration.absolute("ipc://bus/../bus/x.pub") == "ipc://\(workingDirectory)/bus/x.pub")
    }

    @Test func fileOverridesOnlyTheKeysItSets() throws {
        let suite = try ConfigFixtures.suite(file: #"{"risk_manager": {"max_order_notional": "7000"}}"#)
        let risk = try suite.section("risk_manager")
        #expect(try risk.decimalString("max_order_notional") == "7000")
        #expect(try risk.int("http_port") == 9103)
        #expect(try risk.stringList("allowed_instruments") == ["SIM:BTCUSDT", "SIM:ETHUSDT"])
    }

    @Test func environmentOverridesFile() throws {
        let suite = try ConfigFixtures.suite(
            file: #"{"risk_manager": {"max_order_notional": "7000", "http_port": 9200}}"#,
            environment: ["TRADEWIND_RISK_MANAGER_MAX_ORDER_NOTIONAL": "8000.50"]
        )
        let risk = try suite.section("risk_manager")
        #expect(try risk.decimalString("max_order_notional") == "8000.50")
        #expect(try risk.int("http_port") == 9200)
    }

    @Test func environmentValueIsCoercedToTheDefaultsType() throws {
        let suite = try ConfigFixtures.suite(environment: [
            "TRADEWIND_RISK_MANAGER_HTTP_PORT": "9300",
            "TRADEWIND_RISK_MANAGER_ALLOWED_INSTRUMENTS": #"["SIM:BTCUSDT"]"#,
            "TRADEWIND_MARKET_DATA_START_PRICES": #"{"SIM:BTCUSDT": "1.00"}"#,
        ])
        #expect(try suite.section("risk_manager").int("http_port", range: 1...65535) == 9300)
        #expect(try suite.section("risk_manager").stringList("allowed_instruments") == ["SIM:BTCUSDT"])
        #expect(try suite.section("market_data").decimalStringMap("start_prices") == ["SIM:BTCUSDT": "1.00"])
    }

    @Test func environmentCoercesBooleansNumbersAndNestedKeys() throws {
        let suite = try SuiteConfiguration(
            defaults: ConfigFixtures.typedDefaults,
            environment: ["TRADEWIND_SVC_FLAG": "true", "TRADEWIND_SVC_RATIO": "0.25", "TRADEWIND_SVC_NESTED_DEPTH": "4"]
        )
        let svc = try suite.section("svc")
        #expect(try svc.bool("flag"))
        #expect(try svc.value("ratio") == .number("0.25"))
        #expect(try svc.section("nested").int("depth") == 4)
    }

    @Test func environmentValueOfTheWrongTypeNamesKeyAndVariable() {
        let error = ConfigFixtures.error { try ConfigFixtures.suite(environment: ["TRADEWIND_RISK_MANAGER_HTTP_PORT": "high"]) }
        #expect(error == .wrongType(path: "risk_manager.http_port", expected: "number", found: #""high" from TRADEWIND_RISK_MANAGER_HTTP_PORT"#))
    }

    @Test func nonConfigVariablesAreIgnored() throws {
        let suite = try ConfigFixtures.suite(environment: [
            "TRADEWIND_DATABASE_URL": "postgres://x", "TRADEWIND_CONFIG": "/etc/x.json", "PATH": "/bin",
        ])
        #expect(try suite.section("risk_manager").int("http_port") == 9103)
    }

    @Test func printedConfigurationParsesBackToTheSameTree() throws {
        let suite = try ConfigFixtures.suite(environment: ["TRADEWIND_POSITION_TRACKER_PUBLISH_INTERVAL_MS": "250"])
        let reparsed = try SuiteConfiguration(defaults: suite.jsonText())
        #expect(reparsed.tree == suite.tree)
        #expect(suite.jsonText().contains(#""pub_endpoint": "ipc://.run/bus/position-tracker.pub""#))
    }

    @Test func listOfObjectsReadsAsSections() throws {
        let instruments = try ConfigFixtures.suite().root.sectionList("instruments")
        #expect(instruments.map(\.path) == ["instruments[0]", "instruments[1]"])
        #expect(try instruments[1].string("id") == "SIM:ETHUSDT")
        #expect(try instruments[1].decimalString("lot_size") == "0.001")
    }

    @Test func fileMayReplaceADataMapWithNewInstrumentKeys() throws {
        let suite = try ConfigFixtures.suite(file: #"{"risk_manager": {"max_position": {"SIM:SOLUSDT": "10"}}}"#)
        #expect(try suite.section("risk_manager").decimalStringMap("max_position") == ["SIM:SOLUSDT": "10"])
    }
}
