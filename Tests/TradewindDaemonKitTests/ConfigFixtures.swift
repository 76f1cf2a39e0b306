@testable import TradewindDaemonKit

/// Builders that keep configuration tests short.
enum ConfigFixtures {
    /// Loads the suite defaults with an optional file and environment.
    static func suite(file: String? = nil, environment: [String: String] = [:]) throws(ConfigError) -> SuiteConfiguration {
        try SuiteConfiguration(fileText: file, fileName: "test.json", environment: environment)
    }

    /// Small defaults with one value of each JSON type, for coercion tests.
    static let typedDefaults = """
        {"svc": {"flag": false, "count": 3, "name": "a", "ratio": 0.5, "price": "1.00",
                 "tags": ["x"], "limits": {"SIM:A": "1"}, "nested": {"depth": 1}}}
        """

    /// The error `body` throws, or nil.
    static func error<T>(_ body: () throws -> T) -> ConfigError? {
        do {
            _ = try body()
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            return .malformedJSON(reason: "unexpected non-config error \(error)")
        }
    }
}
