/// The order life cycle as one table of (status, event) → status; every other pair is refused.
///
/// Real-world edges: venues may skip the ack (fill or cancel straight from `submitted`) or deliver
/// it after a fill (`partiallyFilled` + accept), may reject an order they acknowledged, fills can
/// arrive after a cancel request, and an ack can overtake a cancel request. A rejected cancel
/// returns to `partiallyFilled` if the order has fills, to `accepted` if the venue acknowledged
/// it, else to `submitted` (still in flight, so the OMS keeps asking the venue about it).
public enum OrderStateMachine {
    /// The status after `event`, or `InvalidOrderTransition` if the table has no such edge.
    public static func transition(from status: OrderStatus, on event: OrderEvent) throws(InvalidOrderTransition) -> OrderStatus {
        switch (status, event) {
        case (.new, .submit): return .submitted
        case (.new, .reject): return .rejected

        case (.submitted, .accept): return .accepted
        case (.submitted, .reject): return .rejected
        case (.submitted, .partialFill): return .partiallyFilled
        case (.submitted, .fill): return .filled
        case (.submitted, .requestCancel): return .pendingCancel
        case (.submitted, .cancel): return .canceled
        case (.submitted, .expire): return .expired

        case (.accepted, .reject): return .rejected
        case (.accepted, .partialFill): return .partiallyFilled
        case (.accepted, .fill): return .filled
        case (.accepted, .requestCancel): return .pendingCancel
        case (.accepted, .cancel): return .canceled
        case (.accepted, .expire): return .expired

        case (.partiallyFilled, .accept): return .partiallyFilled
        case (.partiallyFilled, .partialFill): return .partiallyFilled
        case (.partiallyFilled, .fill): return .filled
        case (.partiallyFilled, .requestCancel): return .pendingCancel
        case (.partiallyFilled, .cancel): return .canceled
        case (.partiallyFilled, .expire): return .expired

        case (.pendingCancel, .accept): return .pendingCancel
        case (.pendingCancel, .reject): return .rejected
        case (.pendingCancel, .partialFill): return .pendingCancel
        case (.pendingCancel, .fill): return .filled
        case (.pendingCancel, .cancelRejected(_, hasFills: true)): return .partiallyFilled
        case (.pendingCancel, .cancelRejected(acknowledged: true, hasFills: false)): return .accepted
        case (.pendingCancel, .cancelRejected(acknowledged: false, hasFills: false)): return .submitted
        case (.pendingCancel, .cancel): return .canceled
        case (.pendingCancel, .expire): return .expired

        case (.new, .accept), (.new, .partialFill), (.new, .fill), (.new, .requestCancel),
             (.new, .cancelRejected), (.new, .cancel), (.new, .expire),
             (.submitted, .submit), (.submitted, .cancelRejected),
             (.accepted, .submit), (.accepted, .accept), (.accepted, .cancelRejected),
             (.partiallyFilled, .submit), (.partiallyFilled, .reject), (.partiallyFilled, .cancelRejected),
             (.pendingCancel, .submit), (.pendingCancel, .requestCancel),
             (.filled, _), (.canceled, _), (.rejected, _), (.expired, _):
            throw InvalidOrderTransition(from: status, event: event)
        }
    }

    /// Every allowed (status, event) → status edge, for views and tests.
    public static var allowedTransitions: [(from: OrderStatus, event: OrderEvent, to: OrderStatus)] {
        var edges: [(from: OrderStatus, event: OrderEvent, to: OrderStatus)] = []
        for status in OrderStatus.allCases {
            for event in OrderEvent.allCases {
                if let target = try? transition(from: status, on: event) {
                    edges.append((status, event, target))
                }
            }
        }
        return edges
    }
}

/// A (status, event) pair the order state machine refuses.
public struct InvalidOrderTransition: Error, Sendable, Hashable, CustomStringConvertible {
    public let from: OrderStatus
    public let event: OrderEvent

    public init(from: OrderStatus, event: OrderEvent) {
        self.from = from
        self.event = event
    }

    public var description: String { "invalid order transition: \(event) in status \(from)" }
}
