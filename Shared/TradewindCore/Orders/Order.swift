/// An order as the OMS tracks it, from submission to a terminal status.
public struct Order: Sendable, Hashable, Codable {
    public let clientOrderId: String
    public let intentId: String
    public let strategy: String
    public let instrument: InstrumentId
    public let side: Side
    public let orderType: OrderType
    public let timeInForce: TimeInForce
    public let quantity: Quantity
    public let limitPrice: Price?
    /// Set when the OMS sent the order on different terms (slippage guard); nil otherwise.
    public let conversion: OrderConversion?
    public private(set) var status: OrderStatus
    public private(set) var filledQuantity: Quantity
    /// Sum of fill notionals (each rounded half-even); the average price derives from it.
    public private(set) var filledNotional: Money
    /// filledNotional / filledQuantity, half-even; nil before the first fill.
    public private(set) var averagePrice: Price?
    public private(set) var fees: Money
    public private(set) var venueOrderId: String?
    /// Time of the venue's first acknowledgement; nil while the venue has not confirmed the order.
    public private(set) var acknowledgedTimeNs: Int64?
    /// Last reject, cancel, expiry or refused-cancel reason.
    public private(set) var reason: OrderReason?
    /// Number of events applied (submission is event 1).
    public private(set) var eventCount: Int
    public let createdTimeNs: Int64
    public private(set) var updatedTimeNs: Int64

    /// A new, unsent order for an approved order, optionally sent on converted terms.
    public init(approved: ApprovedOrder, conversion: OrderConversion? = nil) {
        clientOrderId = approved.clientOrderId
        intentId = approved.intentId
        strategy = approved.strategy
        instrument = approved.instrument
        side = approved.side
        orderType = approved.orderType
        timeInForce = approved.timeInForce
        quantity = approved.quantity
        limitPrice = approved.limitPrice
        self.conversion = conversion
        status = .new
        filledQuantity = .zero
        filledNotional = .zero
        averagePrice = nil
        fees = .zero
        venueOrderId = nil
        acknowledgedTimeNs = nil
        reason = nil
        eventCount = 0
        createdTimeNs = approved.timeNs
        updatedTimeNs = approved.timeNs
    }

    /// Quantity still working: zero once the order is terminal.
    public var leavesQuantity: Quantity {
        status.isTerminal ? .zero : quantity - filledQuantity
    }

    /// True while the order can still trade.
    public var isOpen: Bool { status.isOpen }

    /// True once the venue confirmed the order (an ack, or a venue order id from an older record).
    public var isAcknowledged: Bool { acknowledgedTimeNs != nil || venueOrderId != nil }

    /// Order type the venue was asked for (differs from `orderType` after a conversion).
    public var effectiveOrderType: OrderType { conversion?.orderType ?? orderType }

    /// Time in force the venue was asked for.
    public var effectiveTimeInForce: TimeInForce { conversion?.timeInForce ?? timeInForce }

    /// Limit price the venue was asked for (the collar price after a conversion).
    public var effectiveLimitPrice: Price? { conversion?.limitPrice ?? limitPrice }

    /// Applies one update through `OrderStateMachine`; on error the order is unchanged.
    ///
    /// Fills are checked (positive quantity and price, no overfill); a fill that completes the
    /// quantity is a `fill` event, otherwise a `partialFill`.
    public mutating func apply(_ update: OrderUpdate, timeNs: Int64) throws(OrderError) {
        var next = self
        let event: OrderEvent
        switch update {
        case .submitted:
            event = .submit
        case .accepted(let venueOrderId):
            event = .accept
            if !venueOrderId.isEmpty { next.venueOrderId = venueOrderId }
            if next.acknowledgedTimeNs == nil { next.acknowledgedTimeNs = timeNs }
        case .rejected(let reason):
            event = .reject
            next.reason = reason
        case .fill(let quantity, let price, let fee):
            event = try next.recordFill(quantity: quantity, price: price, fee: fee)
        case .cancelRequested:
            event = .requestCancel
        case .cancelRejected(let reason):
            event = .cancelRejected(acknowledged: isAcknowledged, hasFills: filledQuantity > .zero)
            next.reason = reason
        case .canceled(let reason):
            event = .cancel
            next.reason = reason
        case .expired(let reason):
            event = .expire
            next.reason = reason
        }
        do {
            next.status = try OrderStateMachine.transition(from: status, on: event)
        } catch {
            throw .invalidTransition(clientOrderId: clientOrderId, error)
        }
        next.eventCount += 1
        next.updatedTimeNs = timeNs
        self = next
    }

    private mutating func recordFill(quantity fillQuantity: Quantity, price: Price, fee: Money) throws(OrderError) -> OrderEvent {
        guard fillQuantity > .zero else {
            throw .invalidFill(clientOrderId: clientOrderId, reason: "fill quantity \(fillQuantity) must be > 0")
        }
        guard price > .zero else {
            throw .invalidFill(clientOrderId: clientOrderId, reason: "fill price \(price) must be > 0")
        }
        let remaining = quantity - filledQuantity
        guard fillQuantity <= remaining else {
            throw .overfill(clientOrderId: clientOrderId, quantity: quantity, filled: filledQuantity, fill: fillQuantity)
        }
        do {
            filledNotional = try filledNotional.adding(try price.notional(fillQuantity))
            fees = try fees.adding(fee)
            filledQuantity = try filledQuantity.adding(fillQuantity)
            averagePrice = try filledNotional.divided(by: filledQuantity)
        } catch {
            throw .arithmetic(clientOrderId: clientOrderId, error)
        }
        return filledQuantity == quantity ? .fill : .partialFill
    }
}

/// An update to apply to an `Order`.
public enum OrderUpdate: Sendable, Hashable, Codable {
    case submitted
    case accepted(venueOrderId: String)
    case rejected(reason: OrderReason)
    case fill(quantity: Quantity, price: Price, fee: Money)
    case cancelRequested
    case cancelRejected(reason: OrderReason)
    case canceled(reason: OrderReason)
    case expired(reason: OrderReason)
}

/// Why an update could not be applied to an order.
public enum OrderError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidTransition(clientOrderId: String, InvalidOrderTransition)
    case overfill(clientOrderId: String, quantity: Quantity, filled: Quantity, fill: Quantity)
    case invalidFill(clientOrderId: String, reason: String)
    case arithmetic(clientOrderId: String, NumberError)

    public var description: String {
        switch self {
        case .invalidTransition(let id, let error):
            return "order \(id): \(error)"
        case .overfill(let id, let quantity, let filled, let fill):
            return "order \(id): fill of \(fill) exceeds remaining \(quantity - filled) (quantity \(quantity), filled \(filled))"
        case .invalidFill(let id, let reason):
            return "order \(id): \(reason)"
        case .arithmetic(let id, let error):
            return "order \(id): \(error)"
        }
    }
}
