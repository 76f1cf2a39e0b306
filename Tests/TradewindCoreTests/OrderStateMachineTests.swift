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

    "accepted partial_fill": .partiallyFilled,
    "accepted fill": .filled,
    "accepted request_cancel": .pendingCancel,
    "accepted cancel": .canceled,
    "accepted expire": .expired,

    "partially_filled partial_fill": .partiallyFilled,
    "partially_filled fill": .filled,
    "partially_filled request_cancel": .pendingCancel,
    "partially_filled cancel": .canceled,
    "partially_filled expire": .expired,

    "pending_cancel accept": .pendingCancel,
    "pending_cancel reject": .rejected,
    "pending_cancel partial_fill": .pendingCancel,
    "pending_cancel fill": .filled,
    "pending_cancel cancel_rejected(hasFills: false)": .accepted,
    "pending_cancel cancel_rejected(hasFills: true)": .partiallyFilled,
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
        #expect(OrderStatus.allCases.count * OrderEvent.allCases.count == 90)
        #expect(OrderStateMachine.allowedTransitions.count == expectedTransitions.count)
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
}
