import Foundation
import Testing
import TradewindCore

@Suite struct ExecutionSlippageGuardTests {
    private static func core(_ action: SlippageGuard.Action, bps: Int = 50, maxQuoteAgeNs: Int64 = 1_000) throws -> ExecutionCore {
        ExecutionFixtures.core(policy: try ExecutionPolicy(
            maxQuoteAgeNs: maxQuoteAgeNs, slippageGuard: try SlippageGuard(collarBps: bps, action: action)))
    }

    private static func quote(bid: String, ask: String, askSize: String = "5", time: Int64 = 0) -> Quote {
        QuoteBuilder(bid: px(bid), ask: px(ask), askSize: qty(askSize), timeNs: time).build()
    }

    @Test func collarIsRoundedToTheTickTowardTheMid() throws {
        let collar = try SlippageGuard(collarBps: 50, action: .reject)
        let quote = Self.quote(bid: "100", ask: "100.01")  // mid 100.005: ±50 bps = 100.505025 / 99.504975
        #expect(collar.collarPrice(side: .buy, quote: quote, tick: px("0.01")) == px("100.5"))
        #expect(collar.collarPrice(side: .sell, quote: quote, tick: px("0.01")) == px("99.51"))
        #expect(collar.collarPrice(side: .buy, quote: quote, tick: px("0.5")) == px("100.5"))
        #expect(collar.collarPrice(side: .sell, quote: quote, tick: px("0.5")) == px("100"))
        let onGrid = try SlippageGuard(collarBps: 100, action: .reject)
        #expect(onGrid.collarPrice(side: .buy, quote: Self.quote(bid: "99.5", ask: "100.5"), tick: px("0.01")) == px("101"))
        #expect(onGrid.collarPrice(side: .sell, quote: Self.quote(bid: "99.5", ask: "100.5"), tick: px("0.01")) == px("99"))
        #expect(collar.collarPrice(side: .buy, quote: Self.quote(bid: "0", ask: "100"), tick: px("0.01")) == nil)
    }

    @Test func rejectModeSendsMarketOrderWhenTheTouchIsInsideTheCollar() throws {
        var core = try Self.core(.reject)
        _ = core.apply(.quote(Self.quote(bid: "100", ask: "100.4")))  // buy collar 100.70
        let order = approvedOrder("m", .buy, "1", timeNs: 500)
        #expect(core.apply(.approved(order)).commands == [.submit(order)])
        #expect(core.order(clientOrderId: "TW-m")?.conversion == nil)
    }

    @Test(arguments: [(Side.buy, "100", "102"), (.sell, "98", "100")])
    func rejectModeRefusesWhenTheFarTouchIsBeyondTheCollar(side: Side, bid: String, ask: String) throws {
        var core = try Self.core(.reject)
        _ = core.apply(.quote(Self.quote(bid: bid, ask: ask)))  // collars 101.50 (buy) and 98.51 (sell)
        let outputs = core.apply(.approved(approvedOrder("m", side, "1", timeNs: 500)))
        #expect(outputs.commands.isEmpty)
        #expect(outputs.reports.map(\.reason?.code) == [.slippageGuard])
        #expect(core.order(clientOrderId: "TW-m")?.status == .rejected)
    }

    @Test func convertModeSendsAnIOCLimitAtTheCollar() throws {
        var core = try Self.core(.convertToLimit)
        _ = core.apply(.quote(Self.quote(bid: "100", ask: "102")))  // mid 101, buy collar 101.50
        let approved = approvedOrder("m", .buy, "1", timeNs: 500)
        let outputs = core.apply(.approved(approved))
        var expected = approved
        expected.orderType = .limit
        expected.timeInForce = .ioc
        expected.limitPrice = px("101.5")
        #expect(outputs.commands == [.submit(expected)])
        let order = try #require(core.order(clientOrderId: "TW-m"))
        #expect(order.orderType == .market && order.effectiveOrderType == .limit)
        #expect(order.effectiveLimitPrice == px("101.5") && order.conversion?.referencePrice == px("101"))

        let ack = try #require(core.apply(.venue(.accepted(clientOrderId: "TW-m", venueOrderId: "V", timeNs: 600))).reports.first)
        #expect(ack.execType == .ack)
        #expect(ack.reason == OrderReason(.slippageGuardConverted, "price=101.5 mid=101 collar_bps=50"))
    }

    @Test func convertedOrderFillsUpToTheCollarAtTheVenue() throws {
        var loop = try ExecutionFixtures.slice(core: try Self.core(.convertToLimit), venue: try ExecutionFixtures.venue())
        _ = loop.apply(.quote(Self.quote(bid: "100", ask: "100.4", askSize: "1")))
        let reports = loop.apply(.approved(approvedOrder("m", .buy, "2", timeNs: 500))).reports
        #expect(reports.map(\.execType) == [.ack, .partialFill, .canceled])
        #expect(reports[1].lastPrice == px("100.4") && reports[1].lastQuantity == qty("1"))
        #expect(reports[2].reason?.code == .unfilledRemainder)

        _ = loop.apply(.quote(Self.quote(bid: "100", ask: "102", time: 600)))
        let beyond = loop.apply(.approved(approvedOrder("n", .buy, "1", timeNs: 700))).reports
        #expect(beyond.map(\.execType) == [.ack, .canceled])
        #expect(beyond.allSatisfy { $0.lastQuantity == .zero })
    }

    @Test func staleOrMissingQuotesAreRejectedLocally() throws {
        var core = try Self.core(.convertToLimit, maxQuoteAgeNs: 1_000)
        #expect(core.apply(.approved(approvedOrder("none", .buy, "1", timeNs: 5))).reports.map(\.reason)
            == [OrderReason(.noMarketPrice, "no quote")])
        _ = core.apply(.quote(Self.quote(bid: "100", ask: "101", time: 0)))
        #expect(core.apply(.approved(approvedOrder("fresh", .buy, "1", timeNs: 1_000))).commands.count == 1)
        #expect(core.apply(.approved(approvedOrder("stale", .buy, "1", timeNs: 1_001))).reports.map(\.reason)
            == [OrderReason(.staleMarketPrice, "quote at 0 ns, order at 1001 ns, max age 1000 ns")])
        _ = core.apply(.quote(Self.quote(bid: "0", ask: "101", time: 2_000)))
        #expect(core.apply(.approved(approvedOrder("onesided", .buy, "1", timeNs: 2_000))).reports.map(\.reason)
            == [OrderReason(.noMarketPrice, "quote is not two-sided")])
    }

    @Test func limitOrdersAndUnguardedMarketOrdersPassUnchecked() throws {
        var guarded = try Self.core(.reject)
        let limit = approvedOrder("l", .buy, "1", limit: "100", timeNs: 5)
        #expect(guarded.apply(.approved(limit)).commands == [.submit(limit)])
        var unguarded = ExecutionFixtures.core()
        let market = approvedOrder("m", .buy, "1", timeNs: 5)
        #expect(unguarded.apply(.approved(market)).commands == [.submit(market)])
    }

    @Test func everyRejectTheEngineMakesItselfHasALocalCode() throws {
        var core = try Self.core(.reject, maxQuoteAgeNs: 1_000)
        var codes: [OrderReasonCode?] = []
        codes += core.apply(.approved(approvedOrder("q", .buy, "0"))).reports.map(\.reason?.code)
        codes += core.apply(.approved(approvedOrder("p", .buy, "1", limit: "0"))).reports.map(\.reason?.code)
        codes += core.apply(.approved(approvedOrder("none", .buy, "1", timeNs: 5))).reports.map(\.reason?.code)
        _ = core.apply(.quote(Self.quote(bid: "100", ask: "102", time: 0)))
        codes += core.apply(.approved(approvedOrder("far", .buy, "1", timeNs: 500))).reports.map(\.reason?.code)
        codes += core.apply(.approved(approvedOrder("stale", .buy, "1", timeNs: 1_001))).reports.map(\.reason?.code)
        #expect(codes == [.invalidQuantity, .invalidPrice, .noMarketPrice, .slippageGuard, .staleMarketPrice])
        #expect(codes.allSatisfy { $0?.isLocal == true })
        #expect(core.openOrderCount == 0)
    }
}

@Suite struct ExecutionPolicyTests {
    private static func configurationError(_ body: () throws -> Void) -> ConfigurationError? {
        do {
            try body()
            return nil
        } catch let error as ConfigurationError {
            return error
        } catch {
            return nil
        }
    }

    private static func decode(_ json: String) throws -> ExecutionPolicy {
        try JSONDecoder().decode(ExecutionPolicy.self, from: Data(json.utf8))
    }

    @Test func defaultsAreValid() throws {
        try ExecutionPolicy.defaults.validate()
        #expect(ExecutionPolicy.defaults.inFlightTimeoutNs == 5_000_000_000 && ExecutionPolicy.defaults.slippageGuard == nil)
        #expect(try ExecutionPolicy() == ExecutionPolicy.defaults)
    }

    @Test(arguments: [
        ("inFlightTimeoutNs", #"{"inFlightTimeoutNs": 0}"#),
        ("maxQuoteAgeNs", #"{"maxQuoteAgeNs": -1}"#),
        ("slippageGuard.collarBps", #"{"slippageGuard": {"collarBps": 10000, "action": "reject"}}"#),
        ("inflightTimeoutNs", #"{"inflightTimeoutNs": 1000000}"#),
        ("slippageGuard.bps", #"{"slippageGuard": {"collarBps": 5, "action": "reject", "bps": 5}}"#),
    ])
    func refusesBadConfigurationNamingTheKey(key: String, json: String) {
        #expect(Self.configurationError { _ = try Self.decode(json) }?.key == key)
    }

    @Test func throwingInitNamesTheKey() {
        #expect(Self.configurationError { _ = try ExecutionPolicy(inFlightTimeoutNs: 10) }?.key == "inFlightTimeoutNs")
        #expect(Self.configurationError { _ = try SlippageGuard(collarBps: 0, action: .reject) }?.key == "slippageGuard.collarBps")
    }

    @Test func decodesWithDefaultsAndRoundTrips() throws {
        let policy = try Self.decode(#"{"inFlightTimeoutNs": 2000000, "slippageGuard": {"collarBps": 25, "action": "convertToLimit"}}"#)
        #expect(policy.inFlightTimeoutNs == 2_000_000 && policy.maxQuoteAgeNs == 5_000_000_000)
        #expect(policy.slippageGuard == (try SlippageGuard(collarBps: 25, action: .convertToLimit)))
        let again = try JSONDecoder().decode(ExecutionPolicy.self, from: try JSONEncoder().encode(policy))
        #expect(again == policy)
    }
}
