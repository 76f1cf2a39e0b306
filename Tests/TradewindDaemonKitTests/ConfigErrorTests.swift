import Foundation
import Testing
@testable import TradewindDaemonKit

@Suite struct ConfigErrorTests {
    @Test func unknownKeyInFileIsNamedWithItsFullPath() {
        let error = ConfigFixtures.error { try ConfigFixtures.suite(file: #"{"risk_manager": {"max_order_notionl": "1"}}"#) }
        #expect(error == .unknownKey(path: "risk_manager.max_order_notionl"))
        #expect(error?.description == "risk_manager.max_order_notionl: unknown key")
    }

    @Test func unknownSectionInFileIsNamed() {
        let error = ConfigFixtures.error { try ConfigFixtures.suite(file: #"{"risk_manger": {}}"#) }
        #expect(error == .unknownKey(path: "risk_manger"))
    }

    @Test func unknownKeyInEnvironmentNamesKeyAndVariable() {
        let error = ConfigFixtures.error {
            try ConfigFixtures.suite(environment: ["TRADEWIND_RISK_MANAGER_MAX_ORDER_NOTIONL": "1"])
        }
        #expect(error == .unknownKey(path: "risk_manager.max_order_notionl (from TRADEWIND_RISK_MANAGER_MAX_ORDER_NOTIONL)"))
    }

    @Test func environmentVariableMatchingNoSectionFails() {
        let error = ConfigFixtures.error { try ConfigFixtures.suite(environment: ["TRADEWIND_RISK_MANGER_PORT": "1"]) }
        #expect(error == .unknownKey(path: "TRADEWIND_RISK_MANGER_PORT"))
    }

    @Test func wrongTypeNamesKeyAndExpectedType() {
        let error = ConfigFixtures.error { try ConfigFixtures.suite(file: #"{"risk_manager": {"http_port": "9103"}}"#) }
        #expect(error == .wrongType(path: "risk_manager.http_port", expected: "number", found: #"string "9103""#))
        #expect(error?.description == #"risk_manager.http_port: expected number, found string "9103""#)
    }

    @Test func getterRefusesAFractionWhereAnIntegerBelongs() throws {
        let suite = try ConfigFixtures.suite(file: #"{"market_data": {"seed": 4.5}}"#)
        let error = ConfigFixtures.error { try suite.section("market_data").int("seed") }
        #expect(error == .wrongType(path: "market_data.seed", expected: "integer", found: "number 4.5"))
    }

    @Test func invalidValueIsNamed() throws {
        let suite = try ConfigFixtures.suite(file: #"{"risk_manager": {"http_port": 70000}}"#)
        let error = ConfigFixtures.error { try DaemonCommonConfiguration(section: suite.section("risk_manager")) }
        #expect(error == .invalidValue(path: "risk_manager.http_port", value: "70000", reason: "must be in 0...65535"))
    }

    @Test(arguments: [
        (#"{"heartbeat_timeout_ms": 400}"#, "risk_manager.heartbeat_timeout_ms"),
        (#"{"heartbeat_interval_ms": 20}"#, "risk_manager.heartbeat_interval_ms"),
        (#"{"pub_endpoint": "udp://x"}"#, "risk_manager.pub_endpoint"),
        (#"{"pub_endpoint": "tcp://"}"#, "risk_manager.pub_endpoint"),
        (#"{"http_host": ""}"#, "risk_manager.http_host"),
    ])
    func commonKeysAreValidated(overlay: String, path: String) throws {
        let suite = try ConfigFixtures.suite(file: #"{"risk_manager": \#(overlay)}"#)
        let error = ConfigFixtures.error { try DaemonCommonConfiguration(section: suite.section("risk_manager")) }
        guard case .invalidValue(let named, _, _)? = error else {
            Issue.record("expected invalidValue, got \(String(describing: error))")
            return
        }
        #expect(named == path)
    }

    @Test func decimalGivenAsJSONNumberIsRefusedWithAHintToQuoteIt() {
        let error = ConfigFixtures.error { try ConfigFixtures.suite(file: #"{"risk_manager": {"max_order_notional": 5000}}"#) }
        #expect(error == .wrongType(path: "risk_manager.max_order_notional", expected: "string", found: "number 5000"))
        #expect(error?.description.contains(#"quote exact decimals as JSON strings, e.g. "5000""#) == true)
    }

    @Test func decimalGetterRefusesNumbersAndMalformedText() throws {
        let suite = try SuiteConfiguration(defaults: ConfigFixtures.typedDefaults, fileText: #"{"svc": {"price": "1.2.3"}}"#)
        let svc = try suite.section("svc")
        let numberError = ConfigFixtures.error { try svc.decimalString("ratio") }
        #expect(numberError == .wrongType(path: "svc.ratio", expected: "decimal string", found: "number 0.5"))
        #expect(numberError?.description.contains("quote exact decimals") == true)
        guard case .invalidValue(let path, let value, _)? = ConfigFixtures.error({ try svc.decimalString("price") }) else {
            Issue.record("expected invalidValue")
            return
        }
        #expect(path == "svc.price" && value == #""1.2.3""#)
    }

    @Test func missingKeyInAListElementIsNamed() {
        let file = #"{"instruments": [{"id": "SIM:X", "base": "X", "quote": "Y", "tick_size": "1", "min_quantity": "1"}]}"#
        #expect(ConfigFixtures.error { try ConfigFixtures.suite(file: file) } == .missingKey(path: "instruments[0].lot_size"))
    }

    @Test func unknownKeyInAListElementIsNamed() {
        let file = #"{"instruments": [{"id": "SIM:X", "tick_sise": "1"}]}"#
        #expect(ConfigFixtures.error { try ConfigFixtures.suite(file: file) } == .unknownKey(path: "instruments[0].tick_sise"))
    }

    @Test func missingKeyFromAGetterIsNamed() throws {
        let error = ConfigFixtures.error { try ConfigFixtures.suite().section("risk_manager").string("kill_token") }
        #expect(error == .missingKey(path: "risk_manager.kill_token"))
        #expect(ConfigFixtures.error { try ConfigFixtures.suite().section("nope") } == .missingKey(path: "nope"))
    }

    @Test func malformedJSONReportsLineAndColumn() {
        let error = ConfigFixtures.error { try ConfigFixtures.suite(file: "{\n  \"risk_manager\": {,}\n}") }
        #expect(error == .malformedJSON(reason: "test.json: line 2, column 20: expected a quoted key"))
    }

    @Test func unreadableFileIsNamed() {
        let error = ConfigFixtures.error { try SuiteConfiguration.load(configFile: "/nonexistent/tw.json", environment: [:]) }
        #expect(error == .unreadableFile(path: "/nonexistent/tw.json", reason: "no such file"))
    }

    @Test func validateMapsADaemonsParseErrorToInvalidValue() throws {
        struct NotADecimal: Error, CustomStringConvertible {
            var description: String { "too many fraction digits" }
        }
        let risk = try ConfigFixtures.suite().section("risk_manager")
        let error = ConfigFixtures.error { try risk.decimal("max_order_notional") { _ -> Int in throw NotADecimal() } }
        #expect(error == .invalidValue(path: "risk_manager.max_order_notional", value: #""5000""#, reason: "too many fraction digits"))
    }

    @Test func oneOfListsTheAllowedValues() throws {
        enum Feed: String, CaseIterable { case synthetic, replay }
        let suite = try ConfigFixtures.suite(file: #"{"market_data": {"feed": "live"}}"#)
        let error = ConfigFixtures.error { try suite.section("market_data").oneOf("feed", as: Feed.self) }
        #expect(error == .invalidValue(path: "market_data.feed", value: #""live""#, reason: #"must be one of "synthetic", "replay""#))
    }

    @Test func loadReadsTheFileAndTheProcessStyleEnvironment() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tw-\(UInt64.random(in: 0...UInt64.max)).json").path
        try #"{"execution_engine": {"taker_fee_bps": 12}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let suite = try SuiteConfiguration.load(configFile: path, environment: ["TRADEWIND_EXECUTION_ENGINE_SEED": "9"])
        let engine = try suite.section("execution_engine")
        #expect(try engine.int("taker_fee_bps") == 12)
        #expect(try engine.int("seed") == 9)
    }
}
