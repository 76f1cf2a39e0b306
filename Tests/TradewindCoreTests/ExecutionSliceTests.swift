import Testing
import TradewindCore

/// The execution slice: trading states, the simulated venue in process, order events as one unit.
@Suite struct ExecutionSliceTests {
    private static func slice(latency: SimulatedVenueLink.Latency = .zero) throws -> ExecutionSlice {
        let link = try SimulatedVenueLink(venue: try ExecutionFixtures.venue(), latency: latency, seed: 3)
        return ExecutionSlice(core: ExecutionFixtures.core(), link: link)
    }

    private static func orderEvents(_ outputs: [ExecutionSlice.Output]) -> [ExecutionSlice.OrderEvent] {
        outputs.compactMap { if case .orderEvent(let event) = $0 { event } else { nil } }
    }

    @Test func aMarketOrderFillsAtTheTouchAndEachOrderEventCarriesItsReport() throws {
        var slice = try Self.slice()
        let quote = QuoteBuilder.mid("100", timeNs: 1_000)
        _ = slice.apply(.quote(quote))
        let events = Self.orderEvents(slice.apply(.approved(approvedOrder("a", .buy, "\(quote.askSize)", timeNs: 1_000))))
        #expect(events.map(\.order.status) == [.submitted, .accepted, .filled])
        #expect(events.map { $0.report?.execType } == [nil, .ack, .fill])
        #expect(events.last?.report?.lastPrice == px("100.5"))
        #expect(slice.netFilled[TestInstruments.btcId] == quote.askSize)
    }

    @Test func aMarketOrderBiggerThanTheQuotedSizeFillsPartlyAndTheRestIsCanceled() throws {
        var slice = try Self.slice()
        let quote = QuoteBuilder.mid("100", timeNs: 1_000)
        _ = slice.apply(.quote(quote))
        let twice = quote.askSize + quote.askSize
        let events = Self.orderEvents(slice.apply(.approved(approvedOrder("a", .buy, "\(twice)", timeNs: 1_000))))
        #expect(events.map(\.order.status) == [.submitted, .accepted, .partiallyFilled, .canceled])
        #expect(events.last?.report?.reason?.code == .unfilledRemainder)
        #expect(events.last?.order.filledQuantity == quote.askSize)
    }

    @Test func haltedCancelsEveryOpenOrderAndReducingOnlyThoseThatWouldGrowThePosition() throws {
        var slice = try Self.slice()
        _ = slice.apply(.quote(QuoteBuilder.mid("100", timeNs: 1_000)))
        _ = slice.apply(.approved(approvedOrder("long", .buy, "1", timeNs: 1_000)))
        _ = slice.apply(.approved(approvedOrder("bid", .buy, "1", limit: "90", timeNs: 1_000)))
        _ = slice.apply(.approved(approvedOrder("ask", .sell, "1", limit: "110", timeNs: 1_000)))
        #expect(slice.ordersToCancel(in: .active).isEmpty)
        #expect(slice.ordersToCancel(in: .reducing) == ["TW-bid"], "long 1: only the bid grows it")
        let canceled = Self.orderEvents(slice.apply(.tradingState(.halted, timeNs: 2_000)))
        #expect(Set(canceled.filter { $0.order.status == .canceled }.map(\.order.clientOrderId)) == ["TW-bid", "TW-ask"])
        #expect(slice.core.openOrderCount == 0)
        #expect(slice.apply(.tradingState(.halted, timeNs: 3_000)).isEmpty, "announced again: nothing left to cancel")
    }

    @Test func aRestingOrderFillsWhenALaterQuoteCrossesIt() throws {
        var slice = try Self.slice()
        _ = slice.apply(.quote(QuoteBuilder.mid("100", timeNs: 1_000)))
        _ = slice.apply(.approved(approvedOrder("bid", .buy, "1", limit: "95", timeNs: 1_000)))
        let events = Self.orderEvents(slice.apply(.quote(QuoteBuilder.mid("94", timeNs: 2_000))))
        #expect(events.last?.order.status == .filled)
        #expect(events.last?.report?.liquidity == .maker && events.last?.report?.lastPrice == px("95"))
    }

    @Test func withLatencyTheOrderWaitsForTheClockOrTheNextQuote() throws {
        var slice = try Self.slice(latency: .init(orderEntryNs: 1_000))
        _ = slice.apply(.quote(QuoteBuilder.mid("100", timeNs: 1_000)))
        let sent = Self.orderEvents(slice.apply(.approved(approvedOrder("a", .buy, "1", timeNs: 1_000))))
        #expect(sent.map(\.order.status) == [.submitted])
        #expect(Self.orderEvents(slice.apply(.clock(timeNs: 1_999))).isEmpty)
        let arrived = Self.orderEvents(slice.apply(.clock(timeNs: 2_000)))
        #expect(arrived.map(\.order.status) == [.accepted, .filled])
        #expect(arrived.last?.report?.timeNs == 2_000)
    }

    @Test func withARealVenueCommandsLeaveForTheHost() {
        var slice = ExecutionSlice(core: ExecutionFixtures.core(), link: nil)
        let outputs = slice.apply(.approved(approvedOrder("a", .buy, "1", limit: "100", timeNs: 1_000)))
        #expect(outputs.contains { if case .venueCommand(.submit) = $0 { true } else { false } })
    }
}
