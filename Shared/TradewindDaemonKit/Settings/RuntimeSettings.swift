import TradewindCore

/// The `runtime` section: where time comes from, and the session that makes ids unique.
public struct RuntimeSettings: Sendable {
    /// Where the machines' time comes from.
    public enum Clock: String, CaseIterable, Sendable {
        /// Live: timers run on the wall clock (in-flight timeouts, pending-order expiry, state re-announcements).
        case wall
        /// Replay: time moves only with market events, so the same events give the same decisions.
        case events
    }

    public var clock: Clock
    /// Market data replays a dataset in lockstep: every daemon takes its messages in the
    /// `LockstepPlan` order, and time comes from the events.
    public var lockstep: Bool
    /// Appended to intent ids and the simulated venue's order and trade ids. Empty in the
    /// configuration: taken from the start time, so ids stay unique across restarts; a fixed one
    /// makes ids reproducible (backtests, parity runs).
    public var sessionId: String

    public init(_ configuration: SuiteConfiguration, startNs: Int64) throws(ConfigError) {
        let section = try configuration.section("runtime")
        clock = try section.oneOf("clock", as: Clock.self)
        let configured = try section.string("session_id")
        guard configured.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw .invalidValue(path: section.keyPath("session_id"), value: "\"\(configured)\"", reason: "only letters, digits, '_' and '-'")
        }
        sessionId = configured.isEmpty ? String(startNs / 1_000_000, radix: 36) : configured
        let marketData = try configuration.section("market_data")
        let replays = try marketData.string("feed") == MarketDataSettings.Feed.replay.rawValue
        let inLockstep = try marketData.bool("replay_lockstep")
        lockstep = replays && inLockstep
        if lockstep { clock = .events }
    }
}

/// The `backtest` section: the capital PnL is measured against and how results are sampled.
public struct BacktestSettings: Sendable {
    public var initialCapital: Money
    /// Positions, equity and prices are written at this interval of event time (and at every fill).
    public var sampleIntervalNs: Int64
    /// Returns for Sharpe and Sortino are taken over this interval of event time.
    public var returnsIntervalNs: Int64

    public init(_ configuration: SuiteConfiguration) throws(ConfigError) {
        let section = try configuration.section("backtest")
        let capital = try section.string("initial_capital")
        initialCapital = try section.validate("initial_capital") {
            let money = try Money(parsing: capital)
            guard money > .zero else { throw ConfigurationError(key: "initial_capital", value: capital, reason: "must be greater than 0") }
            return money
        }
        sampleIntervalNs = Int64(try section.int("sample_interval_ms", range: 1...86_400_000)) * 1_000_000
        returnsIntervalNs = Int64(try section.int("returns_interval_ms", range: 1...86_400_000 * 30)) * 1_000_000
    }
}
