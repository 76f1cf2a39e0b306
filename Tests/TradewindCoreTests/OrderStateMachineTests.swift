import Testing
import TradewindCore

/// The order life cycle, written out independently of the implementation: every pair not
/// listed here must be refused.
private let expectedTransitions: [String: OrderStatus] = [
    "new submit": .submitted,
    "new reject": .rejected,

    "submitted accept": .accepted,
    "submitted reject": .rejected,
    "submitted partial_fill": .partiallyFilled,
    "submitted fill": .filled,
    "submitted request_cancel": .pendingCancel,
    "submitted cancel": .canceled,
    "submitted expire": .expired,

    "accepted reject": .rejected,
    "accepted partial_fill": .partiallyFilled,
    "accepted fill": .filled,
    "accepted request_cancel": .pendingCancel,
    "accepted cancel": .canceled,
    "accepted expire": .expired,

    "partially_filled accept": .partiallyFilled,
    "partially_filled partial_fill": .partiallyFilled,
    "partially_filled fill": .filled,
    "partially_filled request_cancel": .pendingCancel,
    "partially_filled cancel": .canceled,
    "partially_filled expire": .expired,

    "pending_cancel accept": .pendingCancel,
    "pending_cancel reject": .rejected,
    "pending_cancel partial_fill": .pendingCancel,
    "pending_cancel fill": .filled,
    "pending_cancel cancel_rejected(acknowledged: false, hasFills: false)": .submitted,
    "pending_cancel cancel_rejected(acknowledged: true, hasFills: false)": .accepted,
    "pending_cancel cancel_rejected(acknowledged: false, hasFills: true)": .partiallyFilled,
    "pending_cancel cancel_rejected(acknowledged: true, hasFills: true)": .partiallyFilled,
    "pending_cancel cancel": .canceled,
    "pending_cancel expire": .expired,
]

@Suite struct OrderStateMachineTests {
    @Test(arguments: OrderStatus.allCases, OrderEvent.allCases)
    func transitionMatchesTable(status: OrderStatus, event: OrderEvent) throws {
        let key = "\(status.rawValue) \(event)"
        if let expected = expectedTransitions[key] {
            #expect(try OrderStateMachine.transition(from: status, on: event) == expected, "\(key)")
        } else {
            #expect(throws: InvalidOrderTransition(from: status, event: event), "\(key) must be refused") {
                try OrderStateMachine.transition(from: status, on: event)
            }
        }
    }

    @Test func tableCoversEveryPair() {
        #expect(OrderStatus.allCases.count * OrderEvent.allCases.count == 108)
        #expect(OrderStateMachine.allowedTransitions.count == expectedTransitions.count)
        let described = Set(OrderStateMachine.allowedTransitions.map { "\($0.from.rawValue) \($0.event)" })
        #expect(described == Set(expectedTransitions.keys))
    }

    @Test func terminalStatusesAcceptNothing() {
        for status in OrderStatus.allCases where status.isTerminal {
            #expect(!status.isOpen)
            #expect(OrderStateMachine.allowedTransitions.allSatisfy { $0.from != status })
        }
    }

    @Test func openAndTerminalFlags() {
        #expect(OrderStatus.allCases.filter(\.isOpen) == [.submitted, .accepted, .partiallyFilled, .pendingCancel])
        #expect(OrderStatus.allCases.filter(\.isTerminal) == [.filled, .canceled, .rejected, .expired])
        #expect(OrderStatus.partiallyFilled.rawValue == "partially_filled")
    }

    @Test func eventCodesAreStable() {
        #expect(OrderEvent.allCases.map(\.code) == [
            "submit", "accept", "reject", "partial_fill", "fill", "request_cancel",
            "cancel_rejected", "cancel_rejected", "cancel_rejected", "cancel_rejected", "cancel", "expire",
        ])
    }
}
