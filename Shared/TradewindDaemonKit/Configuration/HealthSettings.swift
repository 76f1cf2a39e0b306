import TradewindCore

/// The `health` section: where `tradewind health --serve` listens, how often and how patiently it
/// asks the daemons, and the meta-health thresholds (`SuiteHealth.Thresholds`).
public struct HealthSettings: Sendable {
    public var host: String
    public var port: Int
    public var interval: Duration
    public var requestTimeout: Duration
    public var thresholds: SuiteHealth.Thresholds

    public init(_ configuration: SuiteConfiguration) throws(ConfigError) {
        let section = try configuration.section("health")
        let listen = try section.nonEmptyString("listen")
        guard let (host, port) = Self.address(listen) else {
            throw .invalidValue(path: section.keyPath("listen"), value: listen, reason: "must be HOST:PORT")
        }
        self.host = host
        self.port = port
        interval = try section.durationMilliseconds("interval_ms", range: 100...600_000)
        requestTimeout = try section.durationMilliseconds("request_timeout_ms", range: 50...60_000)
        let green = try section.int("green_min_score_percent", range: 1...100)
        let degraded = try section.int("degraded_min_score_percent", range: 0...100)
        guard degraded <= green else {
            throw .invalidValue(
                path: section.keyPath("degraded_min_score_percent"), value: String(degraded),
                reason: "must not exceed green_min_score_percent (\(green))")
        }
        let maxAge = try section.int("data_max_age_ms", range: 1...86_400_000)
        thresholds = SuiteHealth.Thresholds(
            greenMinScore: Double(green) / 100, degradedMinScore: Double(degraded) / 100, dataMaxAgeNs: Int64(maxAge) * 1_000_000)
    }

    /// `HOST:PORT` (port 0 to 65535) split, or nil.
    public static func address(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
            let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        return (String(text[..<colon]), port)
    }
}
