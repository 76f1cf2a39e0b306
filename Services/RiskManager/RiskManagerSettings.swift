import TradewindCore
import TradewindDaemonKit

/// The `risk_manager` section: the limits in force and the trading state at start.
struct RiskManagerSettings: Sendable {
    var engine: RiskEngine

    /// Trading states as written in the configuration.
    enum InitialState: String, CaseIterable {
        case ACTIVE, REDUCING, HALTED

        var state: TradingState {
            switch self {
            case .ACTIVE: .active
            case .REDUCING: .reducing
            case .HALTED: .halted
            }
        }
    }

    init(_ configuration: SuiteConfiguration) throws(ConfigError) {
        let section = try configuration.section("risk_manager")
        let catalog = try InstrumentCatalog(configuration)
        var allowed: Set<InstrumentId> = []
        for text in try section.stringList("allowed_instruments") {
            let id = try section.validate("allowed_instruments") { try InstrumentId(parsing: text) }
            guard catalog.instruments[id] != nil else {
                throw .invalidValue(path: section.keyPath("allowed_instruments"), value: "\"\(text)\"", reason: "not in the instruments list")
            }
            allowed.insert(id)
        }
        let maxPosition = try catalog.map(section, "max_position") { text in
            let quantity = try Quantity(parsing: text)
            guard quantity >= .zero else { throw ConfigurationError(key: "max_position", value: text, reason: "must not be negative") }
            return quantity
        }
        let maxOrderNotional = try section.decimal("max_order_notional") { text in
            let money = try Money(parsing: text)
            guard money > .zero else { throw ConfigurationError(key: "max_order_notional", value: text, reason: "must be greater than 0") }
            return money
        }
        let limits = RiskLimits(
            allowedInstruments: allowed, instruments: catalog.instruments, maxOrderNotional: maxOrderNotional,
            maxPosition: maxPosition, defaultMaxPosition: .zero,
            unacknowledgedOrderTimeoutNs: Int64(try section.int("unacknowledged_order_timeout_ms", range: 100...600_000)) * 1_000_000)
        let state = try section.oneOf("initial_trading_state", as: InitialState.self).state
        engine = try section.validate("max_position") { try RiskEngine(limits: limits, tradingState: state) }
    }
}
