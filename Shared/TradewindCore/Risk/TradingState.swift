/// Whether the suite may open risk: active (normal), reducing (only position-reducing orders), halted (nothing).
public enum TradingState: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case active
    case reducing
    case halted

    /// 0 active, 1 reducing, 2 halted: automatic breakers only ever move to a stricter state.
    public var strictness: Int {
        switch self {
        case .active: return 0
        case .reducing: return 1
        case .halted: return 2
        }
    }

    /// True if this state lets through fewer orders than `other`.
    public func isStricter(than other: TradingState) -> Bool { strictness > other.strictness }

    public var description: String { rawValue }
}

/// A request to change the trading state.
public enum TradingStateEvent: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Kill switch: refuse every new order.
    case halt
    /// Allow only orders that reduce a position without flipping it.
    case reduce
    /// Back to normal trading.
    case resume

    public var description: String { rawValue }
}

/// A trading-state change request with its reason (operator, bus or automatic breaker).
public struct TradingStateCommand: Sendable, Hashable, Codable {
    public var event: TradingStateEvent
    public var reason: String
    public var timeNs: Int64

    public init(event: TradingStateEvent, reason: String, timeNs: Int64) {
        self.event = event
        self.reason = reason
        self.timeNs = timeNs
    }
}

/// The trading-state table; every event is accepted from every state (commands are idempotent).
public enum TradingStateMachine {
    /// The state after `event` in `state`.
    public static func transition(from state: TradingState, on event: TradingStateEvent) -> TradingState {
        switch (state, event) {
        case (.active, .halt): return .halted
        case (.active, .reduce): return .reducing
        case (.active, .resume): return .active
        case (.reducing, .halt): return .halted
        case (.reducing, .reduce): return .reducing
        case (.reducing, .resume): return .active
        case (.halted, .halt): return .halted
        case (.halted, .reduce): return .reducing
        case (.halted, .resume): return .active
        }
    }
}
