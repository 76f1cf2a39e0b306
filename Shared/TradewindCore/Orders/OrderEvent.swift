/// Something that happens to an order; input of `OrderStateMachine`.
public enum OrderEvent: Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Sent to the venue.
    case submit
    /// The venue acknowledged the order.
    case accept
    /// The venue (or a local check) refused the order.
    case reject
    /// A fill that leaves quantity open.
    case partialFill
    /// A fill that completes the order.
    case fill
    /// A cancel request was sent.
    case requestCancel
    /// The venue refused the cancel; the order returns to the working status its history implies
    /// (partially filled if it has fills, accepted if the venue acknowledged it, else submitted).
    case cancelRejected(acknowledged: Bool, hasFills: Bool)
    /// The order was canceled.
    case cancel
    /// The order expired.
    case expire

    /// Every event, with all four variants of `cancelRejected`, for exhaustive tests.
    public static var allCases: [OrderEvent] {
        [.submit, .accept, .reject, .partialFill, .fill, .requestCancel,
         .cancelRejected(acknowledged: false, hasFills: false), .cancelRejected(acknowledged: true, hasFills: false),
         .cancelRejected(acknowledged: false, hasFills: true), .cancelRejected(acknowledged: true, hasFills: true),
         .cancel, .expire]
    }

    /// Stable code for audit trails and logs.
    public var code: String {
        switch self {
        case .submit: return "submit"
        case .accept: return "accept"
        case .reject: return "reject"
        case .partialFill: return "partial_fill"
        case .fill: return "fill"
        case .requestCancel: return "request_cancel"
        case .cancelRejected: return "cancel_rejected"
        case .cancel: return "cancel"
        case .expire: return "expire"
        }
    }

    public var description: String {
        switch self {
        case .cancelRejected(let acknowledged, let hasFills):
            return "cancel_rejected(acknowledged: \(acknowledged), hasFills: \(hasFills))"
        case .submit, .accept, .reject, .partialFill, .fill, .requestCancel, .cancel, .expire: return code
        }
    }
}
