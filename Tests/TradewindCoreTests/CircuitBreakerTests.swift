import Testing
import TradewindCore

@Suite struct CircuitBreakerTests {
    private static let configuration = CircuitBreakerConfiguration(failureThreshold: 3, windowNs: 1_000, openDurationNs: 5_000)

    private static func fail(_ breaker: inout CircuitBreaker, _ id: String, at timeNs: Int64) -> CircuitBreaker.Transition? {
        let reason = OrderReason(.venueUnavailable, "down")
        return breaker.apply(.failure(clientOrderId: id, reason: reason, timeNs: timeNs), configuration: configuration)
    }

    /// A breaker that opened at `openedAt` and is now half-open.
    private static func halfOpen(openedAt: Int64 = 1_000) -> CircuitBreaker {
        var breaker = CircuitBreaker()
        for time in [openedAt - 2, openedAt - 1, openedAt] { _ = fail(&breaker, "x", at: time) }
        _ = breaker.apply(.clock(timeNs: openedAt + configuration.openDurationNs), configuration: configuration)
        return breaker
    }

    @Test func opensWhenThresholdFailuresFallWithinTheWindow() {
        var breaker = CircuitBreaker()
        #expect(Self.fail(&breaker, "a", at: 0) == nil)
        #expect(Self.fail(&breaker, "b", at: 500) == nil)
        let transition = Self.fail(&breaker, "c", at: 1_000)
        #expect(transition?.from == .closed)
        #expect(transition?.to == .open)
        #expect(transition?.reason.contains("VENUE_UNAVAILABLE") == true)
        #expect(breaker.state == .open)
        #expect(!breaker.admitsOrder)
    }

    @Test func staysClosedWhenFailuresSpreadPastTheWindow() {
        var breaker = CircuitBreaker()
        _ = Self.fail(&breaker, "a", at: 0)
        _ = Self.fail(&breaker, "b", at: 500)
        #expect(Self.fail(&breaker, "c", at: 1_001) == nil)
        #expect(breaker.state == .closed)
        #expect(Self.fail(&breaker, "d", at: 1_400)?.to == .open, "500, 1001 and 1400 fit in one window")
    }

    @Test func remembersAtMostThresholdFailures() {
        var breaker = CircuitBreaker()
        for index in 0..<100 { _ = Self.fail(&breaker, "x\(index)", at: Int64(index) * 10_000) }
        #expect(breaker.state == .closed)
        #expect(breaker.failureTimesNs.count == 3)
    }

    @Test func becomesHalfOpenExactlyAfterTheOpenDuration() {
        var breaker = CircuitBreaker()
        for time: Int64 in [0, 1, 2] { _ = Self.fail(&breaker, "x", at: time) }
        #expect(breaker.apply(.clock(timeNs: 5_001), configuration: Self.configuration) == nil)
        let transition = breaker.apply(.clock(timeNs: 5_002), configuration: Self.configuration)
        #expect(transition?.from == .open)
        #expect(transition?.to == .halfOpen)
        #expect(breaker.admitsOrder)
    }

    @Test func halfOpenAdmitsOneProbeAndClosesOnItsSuccess() {
        var breaker = Self.halfOpen()
        _ = breaker.apply(.approved(clientOrderId: "probe"), configuration: Self.configuration)
        #expect(!breaker.admitsOrder)
        #expect(breaker.probeClientOrderId == "probe")
        #expect(breaker.apply(.success(clientOrderId: "older"), configuration: Self.configuration) == nil)
        let transition = breaker.apply(.success(clientOrderId: "probe"), configuration: Self.configuration)
        #expect(transition?.to == .closed)
        #expect(breaker.admitsOrder)
        #expect(breaker.failureTimesNs.isEmpty)
    }

    @Test func probeFailureReopens() {
        var breaker = Self.halfOpen()
        _ = breaker.apply(.approved(clientOrderId: "probe"), configuration: Self.configuration)
        #expect(Self.fail(&breaker, "older", at: 7_000) == nil)
        let transition = Self.fail(&breaker, "probe", at: 7_000)
        #expect(transition?.from == .halfOpen)
        #expect(transition?.to == .open)
        #expect(breaker.openedAtNs == 7_000)
        #expect(breaker.apply(.clock(timeNs: 11_999), configuration: Self.configuration) == nil)
    }

    @Test func lostProbeReopens() {
        var breaker = Self.halfOpen()
        _ = breaker.apply(.approved(clientOrderId: "probe"), configuration: Self.configuration)
        let transition = breaker.apply(.lost(clientOrderId: "probe", timeNs: 9_000), configuration: Self.configuration)
        #expect(transition?.to == .open)
        #expect(transition?.reason == "probe probe never acknowledged")
    }

    @Test func probeEndingWithoutAVerdictFreesTheSlot() {
        var breaker = Self.halfOpen()
        _ = breaker.apply(.approved(clientOrderId: "probe"), configuration: Self.configuration)
        #expect(breaker.apply(.finished(clientOrderId: "probe"), configuration: Self.configuration) == nil)
        #expect(breaker.state == .halfOpen)
        #expect(breaker.admitsOrder)
    }
}

/// The engine's per-venue breakers, driven by execution reports and intents.
@Suite struct CircuitBreakerEngineTests {
    private var intent = IntentBuilder()
    private static let openDurationNs: Int64 = 5_000_000_000
    private static let tripTimeNs: Int64 = 30

    /// An engine whose SIM circuit opened at `tripTimeNs`.
    private static func tripped() throws -> RiskEngine {
        var engine = try RiskFixtures.engine()
        for (index, time) in [10, 20, tripTimeNs].enumerated() {
            _ = engine.apply(.executionReport(RiskFixtures.report(
                "TW-r\(index)", .rejected, status: .rejected, reason: OrderReason(.venueUnavailable, "down"), timeNs: time)))
        }
        return engine
    }

    @Test func venueRejectsOpenTheVenuesCircuit() throws {
        var engine = try RiskFixtures.engine()
        var last: [RiskOutput] = []
        for index in 0..<3 {
            last = engine.apply(.executionReport(RiskFixtures.report(
                "TW-v\(index)", .rejected, status: .rejected, reason: OrderReason(.venueUnavailable, "503"), timeNs: 20)))
        }
        #expect(circuitChanges(last).map(\.venue) == ["SIM"])
        #expect(circuitChanges(last).first?.to == .open)
        #expect(engine.circuitState(venue: "SIM") == .open)
        #expect(engine.circuitState(venue: "ALT") == .closed)
    }

    @Test(arguments: OrderReasonCode.allCases.filter { !$0.isVenueFailure })
    func rejectsWithCodesThatAreNoVenueFailureNeverOpenTheCircuit(code: OrderReasonCode) throws {
        var engine = try RiskFixtures.engine()
        for index in 0..<10 {
            let outputs = engine.apply(.executionReport(RiskFixtures.report(
                "TW-l\(index)", .rejected, status: .rejected, reason: OrderReason(code, "x"), timeNs: 10 + Int64(index))))
            #expect(circuitChanges(outputs).isEmpty, "\(code) is \(code.origin), not a venue failure")
        }
        #expect(engine.circuitState(venue: "SIM") == .closed)
    }

    @Test(arguments: OrderReasonCode.allCases.filter(\.isVenueFailure))
    func rejectsWithVenueFailureCodesOpenTheCircuit(code: OrderReasonCode) throws {
        var engine = try RiskFixtures.engine()
        for index in 0..<3 {
            _ = engine.apply(.executionReport(RiskFixtures.report(
                "TW-v\(index)", .rejected, status: .rejected, reason: OrderReason(code, "x"), timeNs: 20)))
        }
        #expect(engine.circuitState(venue: "SIM") == .open)
    }

    @Test func localRejectsBetweenVenueFailuresDoNotCount() throws {
        var engine = try RiskFixtures.engine()
        let local = OrderReason(.slippageGuard, "touch beyond the collar")
        let venue = OrderReason(.rejectedAtVenue, "-2010: no")
        for (index, reason) in [venue, local, local, venue, local].enumerated() {
            _ = engine.apply(.executionReport(RiskFixtures.report(
                "TW-\(index)", .rejected, status: .rejected, reason: reason, timeNs: 20 + Int64(index))))
        }
        #expect(engine.circuitState(venue: "SIM") == .closed)
        _ = engine.apply(.executionReport(RiskFixtures.report("TW-5", .rejected, status: .rejected, reason: venue, timeNs: 30)))
        #expect(engine.circuitState(venue: "SIM") == .open)
    }

    @Test func canceledAndExpiredOrdersAreNoVenueFailures() throws {
        var engine = try RiskFixtures.engine()
        for index in 0..<5 {
            _ = engine.apply(.executionReport(RiskFixtures.report(
                "TW-c\(index)", .canceled, status: .canceled, reason: OrderReason(.notFoundAtVenue), timeNs: 20)))
            _ = engine.apply(.executionReport(RiskFixtures.report(
                "TW-e\(index)", .canceled, status: .expired, reason: OrderReason(.expiredAtVenue), timeNs: 20)))
        }
        #expect(engine.circuitState(venue: "SIM") == .closed)
    }

    @Test mutating func openCircuitDeniesEveryInstrumentOfTheVenueOnly() throws {
        var engine = try Self.tripped()
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1", limit: "100")))) == .circuitOpen)
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1", limit: "100", instrument: TestInstruments.ethId)))) == .circuitOpen)
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.1", limit: "100", instrument: RiskFixtures.altBtcId)))))
    }

    @Test mutating func halfOpenLetsOneProbeThroughAndItsAckCloses() throws {
        var engine = try Self.tripped()
        let openUntil = Self.tripTimeNs + Self.openDurationNs
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1", limit: "100").at(openUntil - 1)))) == .circuitOpen)
        let probe = engine.apply(.intent(intent(.buy, "0.1", limit: "100").at(openUntil)))
        #expect(circuitChanges(probe).map(\.to) == [.halfOpen])
        guard let order = approvedOrder(in: probe) else {
            Issue.record("expected the probe to be approved, got \(probe)")
            return
        }
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1", limit: "100").at(openUntil + 1)))) == .circuitOpen)
        let ack = engine.apply(.executionReport(RiskFixtures.report(order.clientOrderId, .ack, status: .accepted, timeNs: openUntil + 2)))
        #expect(circuitChanges(ack).map(\.to) == [.closed])
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.1", limit: "100").at(openUntil + 3)))))
    }

    @Test mutating func clockMovesTheOpenCircuitToHalfOpen() throws {
        var engine = try Self.tripped()
        #expect(engine.apply(.clock(timeNs: Self.tripTimeNs + Self.openDurationNs - 1)).isEmpty)
        let outputs = engine.apply(.clock(timeNs: Self.tripTimeNs + Self.openDurationNs))
        #expect(circuitChanges(outputs).map(\.to) == [.halfOpen])
        #expect(engine.circuitState(venue: "SIM") == .halfOpen)
    }

    @Test mutating func deniedIntentDoesNotTakeTheProbe() throws {
        var engine = try Self.tripped()
        let openUntil = Self.tripTimeNs + Self.openDurationNs
        _ = engine.apply(.clock(timeNs: openUntil))
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.0001", limit: "100").at(openUntil)))) == .invalidQuantity)
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1", limit: "200").at(openUntil)))) == .priceCollar)
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.1", limit: "100").at(openUntil)))))
    }

    @Test mutating func probeRejectReopensTheCircuit() throws {
        var engine = try Self.tripped()
        let openUntil = Self.tripTimeNs + Self.openDurationNs
        guard let probe = approvedOrder(in: engine.apply(.intent(intent(.buy, "0.1", limit: "100").at(openUntil)))) else {
            Issue.record("expected a probe")
            return
        }
        let reject = engine.apply(.executionReport(RiskFixtures.report(
            probe.clientOrderId, .rejected, status: .rejected, reason: OrderReason(.venueUnavailable, "still down"),
            timeNs: openUntil + 5)))
        #expect(circuitChanges(reject).map(\.to) == [.open])
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1", limit: "100").at(openUntil + 6)))) == .circuitOpen)
        let reopenedUntil = openUntil + 5 + Self.openDurationNs
        #expect(circuitChanges(engine.apply(.clock(timeNs: reopenedUntil))).map(\.to) == [.halfOpen])
    }

    @Test mutating func probeNeverAcknowledgedReopensTheCircuit() throws {
        var engine = try Self.tripped()
        let openUntil = Self.tripTimeNs + Self.openDurationNs
        guard let probe = approvedOrder(in: engine.apply(.intent(intent(.buy, "0.1", limit: "100").at(openUntil)))) else {
            Issue.record("expected a probe")
            return
        }
        let expiry = engine.apply(.clock(timeNs: openUntil + engine.limits.unacknowledgedOrderTimeoutNs + 1))
        #expect(expiry.first == .pendingExpired(probe))
        #expect(circuitChanges(expiry).map(\.to) == [.open])
        #expect(engine.circuitState(venue: "SIM") == .open)
    }
}
