import TradewindCore

// Response bodies of the Binance Spot REST API as documented; decimal fields are JSON strings
// decoded exactly into fixed point (FixedPoint's Codable parses the string), never via Double.

/// `GET /api/v3/time`.
public struct BinanceServerTime: Decodable, Sendable, Hashable {
    public var serverTime: Int64
}

/// The error body `{"code": -1121, "msg": "Invalid symbol."}`.
struct BinanceErrorBody: Decodable {
    var code: Int
    var msg: String
}

/// Order status as Binance reports it.
public enum BinanceOrderStatus: String, Decodable, Sendable, Hashable, CaseIterable {
    case new = "NEW"
    case pendingNew = "PENDING_NEW"
    case partiallyFilled = "PARTIALLY_FILLED"
    case filled = "FILLED"
    case canceled = "CANCELED"
    case pendingCancel = "PENDING_CANCEL"
    case rejected = "REJECTED"
    case expired = "EXPIRED"
    case expiredInMatch = "EXPIRED_IN_MATCH"

    /// The venue-neutral state.
    public var venueState: VenueOrderState {
        switch self {
        case .new, .pendingNew, .pendingCancel: return .open
        case .partiallyFilled: return .partiallyFilled
        case .filled: return .filled
        case .canceled: return .canceled
        case .rejected: return .rejected
        case .expired, .expiredInMatch: return .expired
        }
    }
}

/// Order type as Binance reports it (orders placed elsewhere may use any of them).
public enum BinanceOrderType: String, Decodable, Sendable, Hashable, CaseIterable {
    case limit = "LIMIT"
    case market = "MARKET"
    case stopLoss = "STOP_LOSS"
    case stopLossLimit = "STOP_LOSS_LIMIT"
    case takeProfit = "TAKE_PROFIT"
    case takeProfitLimit = "TAKE_PROFIT_LIMIT"
    case limitMaker = "LIMIT_MAKER"

    /// Nearest Tradewind type: priced types are limits, triggered market types are markets.
    public var orderType: OrderType {
        switch self {
        case .limit, .stopLossLimit, .takeProfitLimit, .limitMaker: return .limit
        case .market, .stopLoss, .takeProfit: return .market
        }
    }
}

/// Time in force as Binance reports it.
public enum BinanceTimeInForce: String, Decodable, Sendable, Hashable, CaseIterable {
    case gtc = "GTC"
    case ioc = "IOC"
    case fok = "FOK"

    /// Nearest Tradewind value; FOK (all or nothing, at once) counts as IOC.
    public var timeInForce: TimeInForce {
        switch self {
        case .gtc: return .gtc
        case .ioc, .fok: return .ioc
        }
    }
}

/// Order side as Binance spells it.
public enum BinanceSide: String, Decodable, Sendable, Hashable, CaseIterable {
    case buy = "BUY"
    case sell = "SELL"

    public init(_ side: Side) {
        switch side {
        case .buy: self = .buy
        case .sell: self = .sell
        }
    }

    public var side: Side {
        switch self {
        case .buy: return .buy
        case .sell: return .sell
        }
    }
}

/// One execution in a `newOrderRespType=FULL` answer.
public struct BinanceOrderFill: Decodable, Sendable, Hashable {
    public var price: Price
    public var qty: Quantity
    /// Amount of `commissionAsset`.
    public var commission: Money
    public var commissionAsset: String
    public var tradeId: Int64
}

/// `POST /api/v3/order` with `newOrderRespType=FULL`.
public struct BinanceNewOrderResponse: Decodable, Sendable, Hashable {
    public var symbol: String
    public var orderId: Int64
    public var clientOrderId: String
    public var transactTime: Int64
    public var price: Price
    public var origQty: Quantity
    public var executedQty: Quantity
    public var cummulativeQuoteQty: Money
    public var status: BinanceOrderStatus
    public var timeInForce: BinanceTimeInForce?
    public var type: BinanceOrderType
    public var side: BinanceSide
    public var fills: [BinanceOrderFill]?
}

/// `DELETE /api/v3/order`; `clientOrderId` is the cancel's own id, `origClientOrderId` the order's.
public struct BinanceCancelResponse: Decodable, Sendable, Hashable {
    public var symbol: String
    public var origClientOrderId: String
    public var orderId: Int64
    public var transactTime: Int64?
    public var executedQty: Quantity
    public var status: BinanceOrderStatus
}

/// An order as `GET /api/v3/order` and `GET /api/v3/openOrders` list it.
public struct BinanceOrder: Decodable, Sendable, Hashable {
    public var symbol: String
    public var orderId: Int64
    public var clientOrderId: String
    public var price: Price
    public var origQty: Quantity
    public var executedQty: Quantity
    /// Negative when Binance does not have it (very old orders).
    public var cummulativeQuoteQty: Money
    public var status: BinanceOrderStatus
    public var timeInForce: BinanceTimeInForce?
    public var type: BinanceOrderType
    public var side: BinanceSide
    public var time: Int64
    public var updateTime: Int64
}

/// One of our trades as `GET /api/v3/myTrades` lists it.
public struct BinanceTrade: Decodable, Sendable, Hashable {
    public var symbol: String
    public var id: Int64
    public var orderId: Int64
    public var price: Price
    public var qty: Quantity
    public var commission: Money
    public var commissionAsset: String
    public var time: Int64
    public var isBuyer: Bool
    public var isMaker: Bool
}

/// `GET /api/v3/account`; balances stay text so one asset beyond fixed-point range cannot hide the rest.
public struct BinanceAccountResponse: Decodable, Sendable, Hashable {
    public struct Balance: Decodable, Sendable, Hashable {
        public var asset: String
        public var free: String
        public var locked: String
    }

    public var canTrade: Bool
    public var updateTime: Int64?
    public var balances: [Balance]
}

/// `GET /api/v3/ticker/price` for one symbol.
public struct BinanceTickerPrice: Decodable, Sendable, Hashable {
    public var symbol: String
    public var price: Price
}
