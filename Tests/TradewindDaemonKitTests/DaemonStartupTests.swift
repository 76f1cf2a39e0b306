import Testing
@testable import TradewindDaemonKit

@Suite struct DaemonStartupTests {
    private func evaluate(_ arguments: [String], environment: [String: String] = [:]) throws -> DaemonStartup.Outcome<String> {
        let options = try DaemonOptions.parse(arguments)
        return DaemonStartup.evaluate(options: options, section: "risk_manager", environment: environment) {
            suite in try suite.section("risk_manager").decimalString("max_order_notional")
        }
    }

    @Test func validConfigurationRunsWithDecodedSettings() throws {
        guard case .run(_, let common, let settings) = try evaluate([], environment: ["TRADEWIND_RISK_MANAGER_HTTP_PORT": "9333"]) else {
            Issue.record("expected .run")
            return
        }
        #expect(common.httpPort == 9333)
        #expect(settings == "5000")
    }

    @Test func printConfigYieldsTheMergedJSON() throws {
        guard case .printConfig(let text) = try evaluate(["--print-config"], environment: ["TRADEWIND_RISK_MANAGER_MAX_ORDER_NOTIONAL": "42"]) else {
            Issue.record("expected .printConfig")
            return
        }
        let reparsed = try SuiteConfiguration(defaults: text)
        #expect(try reparsed.section("risk_manager").string("max_order_notional") == "42")
    }

    @Test func configErrorBecomesOneLineNamingTheKey() throws {
        guard case .configError(let error) = try evaluate([], environment: ["TRADEWIND_RISK_MANAGER_MAX_ORDER_NOTIONAL_X": "1"]) else {
            Issue.record("expected .configError")
            return
        }
        let line = DaemonStartup.errorLine(executable: "tradewind-risk-manager", error: error)
        #expect(line == "tradewind-risk-manager: config error: risk_manager.max_order_notional_x (from TRADEWIND_RISK_MANAGER_MAX_ORDER_NOTIONAL_X): unknown key")
        #expect(!line.contains("\n"))
    }

    @Test func configFileComesFromTheOptionOrTheEnvironment() throws {
        #expect(try DaemonOptions.parse(["--config", "/a.json"]).configFile(environment: ["TRADEWIND_CONFIG": "/b.json"]) == "/a.json")
        #expect(try DaemonOptions.parse([]).configFile(environment: ["TRADEWIND_CONFIG": "/b.json"]) == "/b.json")
        #expect(try DaemonOptions.parse([]).configFile(environment: ["TRADEWIND_CONFIG": ""]) == nil)
        guard case .configError(let error) = try evaluate([], environment: ["TRADEWIND_CONFIG": "/nonexistent.json"]) else {
            Issue.record("expected .configError")
            return
        }
        #expect(error == .unreadableFile(path: "/nonexistent.json", reason: "no such file"))
    }

    @Test func serviceNameDropsTheSuitePrefix() {
        #expect(DaemonStartup.serviceName(executable: "tradewind-risk-manager") == "risk-manager")
    }

    @Test func invalidLogLevelIsAConfigError() throws {
        #expect(throws: ConfigError.invalidValue(
            path: "TRADEWIND_LOG_LEVEL",
            value: "loud",
            reason: "must be one of trace, debug, info, notice, warning, error, critical"
        )) {
            try LoggingBootstrap.level(environment: ["TRADEWIND_LOG_LEVEL": "loud"])
        }
        #expect(try LoggingBootstrap.level(environment: ["TRADEWIND_LOG_LEVEL": "DEBUG"]) == .debug)
        #expect(try LoggingBootstrap.level(environment: [:]) == .info)
    }
}
