import TradewindCore

extension Tradewind_V1_Signal {
    public init(_ signal: Signal) {
        self.init()
        strategy = signal.strategy
        instrument = signal.instrument.description
        name = signal.name
        value = .init(signal.value)
        direction = Int32(clamping: signal.direction)
    }
}

extension Tradewind_V1_OrderIntent {
    public init(_ intent: OrderIntent) {
        self.init()
        intentID = intent.intentId
        strategy = intent.strategy
        instrument = intent.instrument.description
        side = .init(intent.side)
        orderType = .init(intent.orderType)
        timeInForce = .init(intent.timeInForce)
        quantity = .init(intent.quantity)
        if let price = intent.limitPrice { limitPrice = .init(price) }
    }
}

extension OrderIntent {
    /// A core intent from the wire; `timeNs` is the envelope's event time.
    public init(wire: Tradewind_V1_OrderIntent, timeNs: Int64) throws(WireError) {
        let m = "OrderIntent"
        guard !wire.intentID.isEmpty else { throw WireError.missingField(message: m, field: "intent_id") }
        self.init(
            intentId: wire.intentID,
            strategy: wire.strategy,
            instrument: try InstrumentId(wire: wire.instrument, message: m),
            side: try Side(wire: wire.side, message: m),
            orderType: try OrderType(wire: wire.orderType, message: m),
            timeInForce: try TimeInForce(wire: wire.timeInForce, message: m),
            quantity: try decimal(m, "quantity", wire.quantity, present: wire.hasQuantity),
            limitPrice: wire.hasLimitPrice ? try decimal(m, "limit_price", wire.limitPrice, present: true) : nil,
            timeNs: timeNs
        )
    }
}

extension Tradewind_V1_ApprovedOrder {
    public init(_ order: ApprovedOrder) {
        self.init()
        intentID = order.intentId
        clientOrderID = order.clientOrderId
        strategy = order.strategy
        instrument = order.instrument.description
        side = .init(order.side)
        orderType = .init(order.orderType)
        timeInForce = .init(order.timeInForce)
        quantity = .init(order.quantity)
        if let price = order.limitPrice { limitPrice = .init(price) }
    }
}

extension ApprovedOrder {
    public init(wire: Tradewind_V1_ApprovedOrder, timeNs: Int64) throws(WireError) {
        let m = "ApprovedOrder"
        guard !wire.clientOrderID.isEmpty else { throw WireError.missingField(message: m, field: "client_order_id") }
        self.init(
            intentId: wire.intentID,
            clientOrderId: wire.clientOrderID,
            strategy: wire.strategy,
            instrument: try InstrumentId(wire: wire.instrument, message: m),
            side: try Side(wire: wire.side, message: m),
            orderType: try OrderType(wire: wire.orderType, message: m),
            timeInForce: try TimeInForce(wire: wire.timeInForce, message: m),
            quantity: try decimal(m, "quantity", wire.quantity, present: wire.hasQuantity),
            limitPrice: wire.hasLimitPrice ? try decimal(m, "limit_price", wire.limitPrice, present: true) : nil,
            timeNs: timeNs
        )
    }
}

extension Tradewind_V1_RiskDenial {
    public init(_ denial: RiskDenial) {
        self.init()
        intentID = denial.intentId
        strategy = denial.strategy
        instrument = denial.instrument.description
        reasonCode = denial.reason.code
        detail = denial.detail
        if let text = denial.limit, let value = Money(text) { limit = .init(value) }
        if let text = denial.observed, let value = Money(text) { observed = .init(value) }
    }
}

extension Tradewind_V1_TradingStateChange {
    public init(from previous: TradingState, to current: TradingState, reason: String, killSwitch: Bool = false) {
        self.init()
        self.previous = .init(previous)
        self.current = .init(current)
        self.reason = reason
        self.killSwitch = killSwitch
    }
}

extension Tradewind_V1_ExecutionReport {
    public init(_ report: ExecutionReport) {
        self.init()
        clientOrderID = report.clientOrderId
        venueOrderID = report.venueOrderId
        intentID = report.intentId
        strategy = report.strategy
        instrument = report.instrument.description
        side = .init(report.side)
        execType = .init(report.execType)
        orderStatus = .init(report.orderStatus)
        lastQuantity = .init(report.lastQuantity)
        lastPrice = .init(report.lastPrice)
        cumulativeQuantity = .init(report.cumulativeQuantity)
        leavesQuantity = .init(report.leavesQuantity)
        averagePrice = .init(report.averagePrice)
        fee = .init(report.fee)
        feeCurrency = report.feeCurrency
        liquidity = .init(report.liquidity)
        tradeID = report.tradeId
        if let reason = report.reason {
            reasonCode = reason.code.rawValue
            reasonDetail = reason.detail
        }
        eventNumber = UInt32(clamping: report.eventNumber)
        if let commission = report.commission {
            self.commission = .init(commission.amount)
            commissionAsset = commission.asset
        }
    }
}

extension ExecutionReport {
    public init(wire: Tradewind_V1_ExecutionReport, timeNs: Int64) throws(WireError) {
        let m = "ExecutionReport"
        guard !wire.clientOrderID.isEmpty else { throw WireError.missingField(message: m, field: "client_order_id") }
        self.init(
            clientOrderId: wire.clientOrderID,
            venueOrderId: wire.venueOrderID,
            intentId: wire.intentID,
            strategy: wire.strategy,
            instrument: try InstrumentId(wire: wire.instrument, message: m),
            side: try Side(wire: wire.side, message: m),
            execType: try ExecType(wire: wire.execType, message: m),
            orderStatus: try OrderStatus(wire: wire.orderStatus, message: m),
            lastQuantity: try decimal(m, "last_quantity", wire.lastQuantity, present: true),
            lastPrice: try decimal(m, "last_price", wire.lastPrice, present: true),
            cumulativeQuantity: try decimal(m, "cumulative_quantity", wire.cumulativeQuantity, present: true),
            leavesQuantity: try decimal(m, "leaves_quantity", wire.leavesQuantity, present: true),
            averagePrice: try decimal(m, "average_price", wire.averagePrice, present: true),
            fee: try decimal(m, "fee", wire.fee, present: true),
            feeCurrency: wire.feeCurrency,
            liquidity: try Liquidity(wire: wire.liquidity, message: m),
            tradeId: wire.tradeID,
            reason: OrderReason(wire: wire),
            eventNumber: Int(wire.eventNumber),
            timeNs: timeNs,
            commission: wire.commissionAsset.isEmpty ? nil : FeeCharge(
                amount: try decimal(m, "commission", wire.commission, present: wire.hasCommission),
                asset: wire.commissionAsset)
        )
    }
}

extension OrderReason {
    /// The report's reason; nil when it carries no code or detail. A code this build does not
    /// know reads as `.unknown`, keeping the code in the detail.
    public init?(wire: Tradewind_V1_ExecutionReport) {
        guard !wire.reasonCode.isEmpty || !wire.reasonDetail.isEmpty else { return nil }
        self.init(code: wire.reasonCode, detail: wire.reasonDetail)
    }
}

extension Tradewind_V1_Position {
    public init(_ position: Position) {
        self.init()
        instrument = position.instrument.description
        quantity = .init(position.quantity)
        averagePrice = .init(position.averagePrice)
        markPrice = .init(position.markPrice ?? .zero)
        realizedPnl = .init(position.realizedPnl)
        unrealizedPnl = .init(position.unrealizedPnl)
        fees = .init(position.fees)
        fillCount = UInt64(clamping: position.fillCount)
    }
}

extension Tradewind_V1_PortfolioPnl {
    public init(_ pnl: PortfolioPnl) {
        self.init()
        realizedPnl = .init(pnl.realizedPnl)
        unrealizedPnl = .init(pnl.unrealizedPnl)
        fees = .init(pnl.fees)
        totalPnl = .init(pnl.totalPnl)
        peakTotalPnl = .init(pnl.peakTotalPnl)
        drawdown = .init(pnl.drawdown)
        grossExposure = .init(pnl.grossExposure)
        openPositions = UInt32(clamping: pnl.openPositions)
    }
}
