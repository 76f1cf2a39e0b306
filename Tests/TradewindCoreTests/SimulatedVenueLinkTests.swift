import Testing
import TradewindCore

/// The simulated venue in event time: what reaches it when, and against which book.
@Suite struct SimulatedVenueLinkTests {
    private static func link(latency: SimulatedVenueLink.Latency) throws -> SimulatedVenueLink {
        try SimulatedVenueLink(venue: try ExecutionFixtures.venue(), latency: latency, seed: 7)
    }

    @Test func withoutLatencyACommandExecutesAtOnceAgainstTheQuoteItWasDecidedOn() throws {
        var link = try Self.link(latency: .zero)
        _ = link.take(QuoteBuilder.mid("100", timeNs: 1_000))
        let answers = link.send(.submit(approvedOrder("a", .buy, "1", timeNs: 1_000)), atNs: 1_000)
        #expect(answers.map(\.name) == ["accepted", "filled"])
        guard case .filled(_, _, _, _, let price, _, _, let time, _)? = answers.last else { Issue.record("no fill"); return }
        #expect(price == px("100.5") && time == 1_000)
        #expect(link.inFlightCount == 0)
    }

    @Test func withLatencyACommandReachesTheVenueAfterTheQuotesThatCameBeforeIt() throws {
        var link = try Self.link(latency: .init(marketDataNs: 300, orderEntryNs: 200))
        _ = link.take(QuoteBuilder.mid("100", timeNs: 1_000))
        #expect(link.send(.submit(approvedOrder("a", .buy, "1", timeNs: 1_000)), atNs: 1_000).isEmpty)
        #expect(link.nextDueNs == 1_500)
        // a quote before the order arrives moves the book it will meet
        #expect(link.take(QuoteBuilder.mid("110", timeNs: 1_200)).isEmpty)
        // the next quote comes after the arrival: the order executes first, against the 110 book
        let answers = link.take(QuoteBuilder.mid("120", timeNs: 1_600))
        guard case .filled(_, _, _, _, let price, _, _, let time, _)? = answers.last else { Issue.record("no fill"); return }
        #expect(price == px("110.5") && time == 1_500)
    }

    @Test func aCommandDueWithAQuoteReachesTheVenueAfterIt() throws {
        var link = try Self.link(latency: .init(orderEntryNs: 500))
        _ = link.take(QuoteBuilder.mid("100", timeNs: 1_000))
        _ = link.send(.submit(approvedOrder("a", .buy, "1", timeNs: 1_000)), atNs: 1_000)
        #expect(link.take(QuoteBuilder.mid("105", timeNs: 1_500)).isEmpty)
        let answers = link.advance(to: 1_500)
        guard case .filled(_, _, _, _, let price, _, _, _, _)? = answers.last else { Issue.record("no fill"); return }
        #expect(price == px("105.5"))
    }

    @Test func jitterIsDrawnFromTheSeedSoTwoRunsAgree() throws {
        func dueTimes() throws -> [Int64] {
            var link = try Self.link(latency: .init(orderEntryNs: 100, jitterNs: 50))
            var times: [Int64] = []
            for index in 0..<20 {
                _ = link.send(.query(clientOrderId: "q\(index)", instrument: TestInstruments.btcId), atNs: 0)
                times.append(link.nextDueNs ?? 0)
                _ = link.advance(to: .max)
            }
            return times
        }
        let first = try dueTimes()
        #expect(first == (try dueTimes()))
        #expect(first.allSatisfy { (100...150).contains($0) } && Set(first).count > 1)
    }

    @Test func latencyOutOfRangeIsRefused() {
        #expect(throws: ConfigurationError.self) { try Self.link(latency: .init(orderEntryNs: -1)) }
    }
}

extension VenueEvent {
    /// The case's name, for compact assertions.
    var name: String {
        switch self {
        case .accepted: "accepted"
        case .filled: "filled"
        case .canceled: "canceled"
        case .expired: "expired"
        case .rejected: "rejected"
        case .cancelRejected: "cancelRejected"
        case .orderStatus: "orderStatus"
        case .notFound: "notFound"
        }
    }
}
