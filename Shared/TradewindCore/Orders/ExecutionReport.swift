/// One order event as published on `exec.report.<instrument>`.
public struct ExecutionReport: Sendable, Hashable, Codable {
    public var clientOrderId: String
    /// Empty until the venue acknowledged the order.
    public var venueOrderId: String
    public var intentId: String
    public var strategy: String
    public var instrument: InstrumentId
    public var side: Side
    public var execType: ExecType
    /// Order status after this event.
    public var orderStatus: OrderStatus
    /// Quantity of this fill (zero for non-fills).
    public var lastQuantity: Quantity
    /// Price of this fill (zero for non-fills).
    public var lastPrice: Price
    public var cumulativeQuantity: Quantity
    /// Quantity still working (zero once terminal).
    public var leavesQuantity: Quantity
    /// Average fill price so far (zero before any fill).
    public var averagePrice: Price
    /// Fee of this fill, in `feeCurrency` (the instrument's quote asset): what PnL counts.
    public var fee: Money
    public var feeCurrency: String
    /// What the venue actually took when it charged another asset (the base asset, BNB); nil when
    /// it took `fee` in `feeCurrency`. Balances move by this.
    public var commission: FeeCharge?
    public var liquidity: Liquidity
    /// Venue trade id of this fill (empty for non-fills); the dedupe key for fills.
    public var tradeId: String
    /// Why the order was rejected, canceled or expired; on an ack, the slippage guard's conversion.
    public var reason: OrderReason?
    /// The order's event count after this event (submission is event 1).
    public var eventNumber: Int
    public var timeNs: Int64

    public init(
        clientOrderId: String, venueOrderId: String, intentId: String, strategy: String,
        instrument: InstrumentId, side: Side, execType: ExecType, orderStatus: OrderStatus,
        lastQuantity: Quantity, lastPrice: Price, cumulativeQuantity: Quantity, leavesQuantity: Quantity,
        averagePrice: Price, fee: Money, feeCurrency: String, liquidity: Liquidity, tradeId: String,
        reason: OrderReason? = nil, eventNumber: Int, timeNs: Int64, commission: FeeCharge? = nil
    ) {
        self.clientOrderId = clientOrderId
        self.venueOrderId = venueOrderId
        self.intentId = intentId
        self.strategy = strategy
        self.instrument = instrument
        self.side = side
        self.execType = execType
        self.orderStatus = orderStatus
        self.lastQuantity = lastQuantity
        self.lastPrice = lastPrice
        self.cumulativeQuantity = cumulativeQuantity
        self.leavesQuantity = leavesQuantity
        self.averagePrice = averagePrice
        self.fee = fee
        self.feeCurrency = feeCurrency
        self.commission = commission
        self.liquidity = liquidity
        self.tradeId = tradeId
        self.reason = reason
        self.eventNumber = eventNumber
        self.timeNs = timeNs
    }

    /// True for fill and partial-fill reports with a positive last quantity.
    public var isFill: Bool {
        switch execType {
        case .partialFill, .fill: return lastQuantity > .zero
        case .ack, .canceled, .rejected: return false
        }
    }

    /// What the venue took for this fill, in the asset it took it in.
    public var charged: FeeCharge { commission ?? FeeCharge(amount: fee, asset: feeCurrency) }

    /// The fill this report carries, if it is a fill report.
    public var fill: Fill? {
        guard isFill else { return nil }
        return Fill(
            instrument: instrument, side: side, quantity: lastQuantity, price: lastPrice,
            fee: fee, tradeId: tradeId, timeNs: timeNs)
    }
}
