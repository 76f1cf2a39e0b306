import TradewindCore

extension Tradewind_V1_OrderType {
    public init(_ type: OrderType) {
        switch type {
        case .market: self = .market
        case .limit: self = .limit
        }
    }
}

extension OrderType {
    init(wire: Tradewind_V1_OrderType, message: String) throws(WireError) {
        switch wire {
        case .market: self = .market
        case .limit: self = .limit
        case .unspecified: throw WireError.missingField(message: message, field: "order_type")
        case .UNRECOGNIZED(let value): throw WireError.unknownEnumValue(message: message, field: "order_type", value: value)
        }
    }
}

extension Tradewind_V1_TimeInForce {
    public init(_ tif: TimeInForce) {
        switch tif {
        case .gtc: self = .gtc
        case .ioc: self = .ioc
        }
    }
}

extension TimeInForce {
    init(wire: Tradewind_V1_TimeInForce, message: String) throws(WireError) {
        switch wire {
        case .gtc: self = .gtc
        case .ioc: self = .ioc
        case .unspecified: throw WireError.missingField(message: message, field: "time_in_force")
        case .UNRECOGNIZED(let value): throw WireError.unknownEnumValue(message: message, field: "time_in_force", value: value)
        }
    }
}

extension Tradewind_V1_OrderStatus {
    public init(_ status: OrderStatus) {
        switch status {
        case .new: self = .new
        case .submitted: self = .submitted
        case .accepted: self = .accepted
        case .partiallyFilled: self = .partiallyFilled
        case .filled: self = .filled
        case .pendingCancel: self = .pendingCancel
        case .canceled: self = .canceled
        case .rejected: self = .rejected
        case .expired: self = .expired
        }
    }
}

extension OrderStatus {
    init(wire: Tradewind_V1_OrderStatus, message: String) throws(WireError) {
        switch wire {
        case .new: self = .new
        case .submitted: self = .submitted
        case .accepted: self = .accepted
        case .partiallyFilled: self = .partiallyFilled
        case .filled: self = .filled
        case .pendingCancel: self = .pendingCancel
        case .canceled: self = .canceled
        case .rejected: self = .rejected
        case .expired: self = .expired
        case .unspecified: throw WireError.missingField(message: message, field: "order_status")
        case .UNRECOGNIZED(let value): throw WireError.unknownEnumValue(message: message, field: "order_status", value: value)
        }
    }
}

extension Tradewind_V1_ExecType {
    public init(_ type: ExecType) {
        switch type {
        case .ack: self = .ack
        case .partialFill: self = .partialFill
        case .fill: self = .fill
        case .canceled: self = .canceled
        case .rejected: self = .rejected
        }
    }
}

extension ExecType {
    init(wire: Tradewind_V1_ExecType, message: String) throws(WireError) {
        switch wire {
        case .ack: self = .ack
        case .partialFill: self = .partialFill
        case .fill: self = .fill
        case .canceled: self = .canceled
        case .rejected: self = .rejected
        case .unspecified: throw WireError.missingField(message: message, field: "exec_type")
        case .UNRECOGNIZED(let value): throw WireError.unknownEnumValue(message: message, field: "exec_type", value: value)
        }
    }
}

extension Tradewind_V1_Liquidity {
    public init(_ liquidity: Liquidity) {
        switch liquidity {
        case .maker: self = .maker
        case .taker: self = .taker
        case .none: self = .unspecified
        }
    }
}

extension Liquidity {
    init(wire: Tradewind_V1_Liquidity, message: String) throws(WireError) {
        switch wire {
        case .maker: self = .maker
        case .taker: self = .taker
        case .unspecified: self = .none
        case .UNRECOGNIZED(let value): throw WireError.unknownEnumValue(message: message, field: "liquidity", value: value)
        }
    }
}

extension Tradewind_V1_TradingState {
    public init(_ state: TradingState) {
        switch state {
        case .active: self = .active
        case .reducing: self = .reducing
        case .halted: self = .halted
        }
    }
}

extension TradingState {
    public init(wire: Tradewind_V1_TradingState, message: String, field: String) throws(WireError) {
        switch wire {
        case .active: self = .active
        case .reducing: self = .reducing
        case .halted: self = .halted
        case .unspecified: throw WireError.missingField(message: message, field: field)
        case .UNRECOGNIZED(let value): throw WireError.unknownEnumValue(message: message, field: field, value: value)
        }
    }
}
