import Testing
import TradewindCore

@Suite struct VenueFailureTests {
    private let order = ApprovedOrder(
        intentId: "i-1", clientOrderId: "TW-i-1", strategy: "s", instrument: TestInstruments.btcId, side: .buy,
        orderType: .limit, timeInForce: .gtc, quantity: qty("0.1"), limitPrice: px("100"), timeNs: 1)

    @Test func submitIsRejectedOnlyWhenTheVenueRefusedItOrCertainlyNeverGotIt() {
        let submit = VenueCommand.submit(order)
        #expect(submit.eventsOnFailure(.rejected(.insufficientBalance, code: "-2010", message: "insufficient balance"), timeNs: 5)
            == [.rejected(clientOrderId: "TW-i-1", reason: OrderReason(.insufficientBalance, "-2010: insufficient balance"), timeNs: 5)])
        #expect(submit.eventsOnFailure(.notFound(code: "-2013", message: "gone"), timeNs: 5)
            == [.rejected(clientOrderId: "TW-i-1", reason: OrderReason(.notFoundAtVenue, "-2013: gone"), timeNs: 5)])
        #expect(submit.eventsOnFailure(.transient(message: "503"), timeNs: 5)
            == [.rejected(clientOrderId: "TW-i-1", reason: OrderReason(.venueUnavailable, "transient: 503"), timeNs: 5)])
        #expect(submit.eventsOnFailure(.rateLimited(retryAfterNs: nil, message: "429"), timeNs: 5)
            == [.rejected(clientOrderId: "TW-i-1", reason: OrderReason(.rateLimited, "rate limited: 429"), timeNs: 5)])
        // the order may exist at the venue: nothing is decided, the in-flight query will tell
        #expect(submit.eventsOnFailure(.unknownOutcome(message: "timeout"), timeNs: 5).isEmpty)
    }

    @Test func submitsThatNeverReachedTheVenueAreVenueFailures() {
        let submit = VenueCommand.submit(order)
        for error in [VenueError.transient(message: "503"), .rateLimited(retryAfterNs: 1, message: "429")] {
            guard case .rejected(_, let reason, _)? = submit.eventsOnFailure(error, timeNs: 5).first else {
                Issue.record("expected a reject for \(error)")
                continue
            }
            #expect(reason.code.isVenueFailure)
        }
    }

    @Test func refusalDecidedByTheAdapterItselfStaysLocal() {
        let events = VenueCommand.submit(order).eventsOnFailure(
            .rejected(.unknownInstrument, code: "UNKNOWN_INSTRUMENT", message: "not configured"), timeNs: 5)
        #expect(events == [.rejected(
            clientOrderId: "TW-i-1", reason: OrderReason(.unknownInstrument, "UNKNOWN_INSTRUMENT: not configured"), timeNs: 5)])
        #expect(OrderReasonCode.unknownInstrument.isLocal)
    }

    @Test func cancelAndQueryFailures() {
        let cancel = VenueCommand.cancel(clientOrderId: "TW-i-1", instrument: TestInstruments.btcId)
        let query = VenueCommand.query(clientOrderId: "TW-i-1", instrument: TestInstruments.btcId)
        #expect(cancel.eventsOnFailure(.rejected(.cancelRejected, code: "-2011", message: "no"), timeNs: 7)
            == [.cancelRejected(clientOrderId: "TW-i-1", reason: OrderReason(.cancelRejected, "-2011: no"), timeNs: 7)])
        #expect(cancel.eventsOnFailure(.notFound(code: "-2013", message: "gone"), timeNs: 7) == [.notFound(clientOrderId: "TW-i-1", timeNs: 7)])
        #expect(query.eventsOnFailure(.notFound(code: "-2013", message: "gone"), timeNs: 7) == [.notFound(clientOrderId: "TW-i-1", timeNs: 7)])
        for error in [VenueError.transient(message: "x"), .rateLimited(retryAfterNs: 1, message: "x"), .unknownOutcome(message: "x")] {
            #expect(cancel.eventsOnFailure(error, timeNs: 7).isEmpty)
            #expect(query.eventsOnFailure(error, timeNs: 7).isEmpty)
        }
    }
}
