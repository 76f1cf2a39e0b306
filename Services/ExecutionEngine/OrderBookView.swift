import TradewindCore

/// `GET /v1/orders`: open orders, the last finished orders and fills, and fill totals per
/// instrument (the sum the position tracker's positions must equal).
struct OrderBookView: Encodable, Sendable {
    var openOrders: [OrderEntry] = []
    var recentOrders: [OrderEntry] = []
    var recentFills: [FillEntry] = []
    var fillTotals: [String: FillTotals] = [:]
    var totals = Totals()

    static let recentLimit = 100

    /// Orders since the engine started (restored open ones included): every one is open or finished.
    struct Totals: Encodable, Sendable {
        var orders = 0
        var open = 0
        var filled = 0
        var canceled = 0
        var expired = 0
        var rejected = 0
        var fills = 0
    }

    mutating func record(_ report: ExecutionReport) {
        guard report.isFill else { return }
        totals.fills += 1
        let fill = FillEntry(report)
        recentFills.append(fill)
        if recentFills.count > Self.recentLimit { recentFills.removeFirst() }
        fillTotals[fill.instrument, default: FillTotals()].add(report)
    }

    mutating func finished(_ order: OrderEntry) {
        switch order.status {
        case .filled: totals.filled += 1
        case .rejected: totals.rejected += 1
        case .canceled: totals.canceled += 1
        case .expired: totals.expired += 1
        case .new, .submitted, .accepted, .partiallyFilled, .pendingCancel: break
        }
        recentOrders.append(order)
        if recentOrders.count > Self.recentLimit { recentOrders.removeFirst() }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(openOrders, forKey: .openOrders)
        try container.encode(recentOrders, forKey: .recentOrders)
        try container.encode(recentFills, forKey: .recentFills)
        try container.encode(fillTotals, forKey: .fillTotals)
        var totals = self.totals
        totals.open = openOrders.count
        totals.orders = totals.open + totals.filled + totals.rejected + totals.canceled + totals.expired
        try container.encode(totals, forKey: .totals)
    }

    enum CodingKeys: String, CodingKey {
        case totals
        case openOrders = "open_orders"
        case recentOrders = "recent_orders"
        case recentFills = "recent_fills"
        case fillTotals = "fill_totals"
    }
}

/// Bought, sold and net quantity of one instrument's fills.
struct FillTotals: Encodable, Sendable {
    var count = 0
    var buyQuantity = Quantity.zero
    var sellQuantity = Quantity.zero
    var fees = Money.zero

    var netQuantity: Quantity { buyQuantity - sellQuantity }

    mutating func add(_ report: ExecutionReport) {
        count += 1
        switch report.side {
        case .buy: buyQuantity = buyQuantity + report.lastQuantity
        case .sell: sellQuantity = sellQuantity + report.lastQuantity
        }
        fees = fees + report.fee
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        try container.encode(buyQuantity, forKey: .buyQuantity)
        try container.encode(sellQuantity, forKey: .sellQuantity)
        try container.encode(netQuantity, forKey: .netQuantity)
        try container.encode(fees, forKey: .fees)
    }

    enum CodingKeys: String, CodingKey {
        case count, fees
        case buyQuantity = "buy_quantity"
        case sellQuantity = "sell_quantity"
        case netQuantity = "net_quantity"
    }
}

struct FillEntry: Encodable, Sendable {
    var clientOrderId: String
    var tradeId: String
    var instrument: String
    var side: Side
    var quantity: Quantity
    var price: Price
    var fee: Money
    var liquidity: Liquidity
    var timeNs: Int64

    init(_ report: ExecutionReport) {
        clientOrderId = report.clientOrderId
        tradeId = report.tradeId
        instrument = report.instrument.description
        side = report.side
        quantity = report.lastQuantity
        price = report.lastPrice
        fee = report.fee
        liquidity = report.liquidity
        timeNs = report.timeNs
    }

    enum CodingKeys: String, CodingKey {
        case instrument, side, quantity, price, fee, liquidity
        case clientOrderId = "client_order_id"
        case tradeId = "trade_id"
        case timeNs = "time_ns"
    }
}

struct OrderEntry: Encodable, Sendable {
    var clientOrderId: String
    var intentId: String
    var strategy: String
    var instrument: String
    var side: Side
    var orderType: OrderType
    var timeInForce: TimeInForce
    var quantity: Quantity
    var limitPrice: Price?
    var status: OrderStatus
    var filledQuantity: Quantity
    var averagePrice: Price?
    var fees: Money
    var venueOrderId: String?
    var reasonCode: OrderReasonCode?
    var reasonDetail: String?
    var createdTimeNs: Int64
    var updatedTimeNs: Int64

    init(_ order: Order) {
        clientOrderId = order.clientOrderId
        intentId = order.intentId
        strategy = order.strategy
        instrument = order.instrument.description
        side = order.side
        orderType = order.orderType
        timeInForce = order.timeInForce
        quantity = order.quantity
        limitPrice = order.limitPrice
        status = order.status
        filledQuantity = order.filledQuantity
        averagePrice = order.averagePrice
        fees = order.fees
        venueOrderId = order.venueOrderId
        reasonCode = order.reason?.code
        reasonDetail = order.reason?.detail
        createdTimeNs = order.createdTimeNs
        updatedTimeNs = order.updatedTimeNs
    }

    enum CodingKeys: String, CodingKey {
        case strategy, instrument, side, quantity, status, fees
        case clientOrderId = "client_order_id"
        case intentId = "intent_id"
        case orderType = "order_type"
        case timeInForce = "time_in_force"
        case limitPrice = "limit_price"
        case filledQuantity = "filled_quantity"
        case averagePrice = "average_price"
        case venueOrderId = "venue_order_id"
        case reasonCode = "reason_code"
        case reasonDetail = "reason_detail"
        case createdTimeNs = "created_time_ns"
        case updatedTimeNs = "updated_time_ns"
    }
}
