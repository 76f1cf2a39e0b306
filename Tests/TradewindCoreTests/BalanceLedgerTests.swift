import Foundation
import Testing
import TradewindCore

@Suite struct BalanceLedgerTests {
    private static let reports = ReportBuilder()

    private static func ledger() -> BalanceLedger {
        BalanceLedger(baseline: ["BTC": qty("1"), "USDT": qty("1000")], instruments: ExecutionFixtures.instruments)
    }

    @Test func buysAndSellsMoveBaseQuoteAndFees() {
        var ledger = Self.ledger()
        #expect(ledger.apply(Self.reports.fill("TW-a", .buy, "0.5", at: "100.123", tradeId: "T1", fee: "0.05")) == .applied)
        #expect(ledger.balance("BTC") == qty("1.5"))
        #expect(ledger.balance("USDT") == qty("949.8885"))
        #expect(ledger.apply(Self.reports.fill("TW-b", .sell, "0.2", at: "101", tradeId: "T2", fee: "-0.01")) == .applied)
        #expect(ledger.expectedBalances == ["BTC": qty("1.3"), "USDT": qty("970.0985")])
        #expect(ledger.baseline == ["BTC": qty("1"), "USDT": qty("1000")])
    }

    @Test func chargesFeesInTheReportedFeeCurrency() {
        var ledger = Self.ledger()
        var report = Self.reports.fill("TW-a", .buy, "1", at: "10", tradeId: "T1", fee: "0.001")
        report.feeCurrency = "BNB"
        ledger.apply(report)
        #expect(ledger.expectedBalances == ["BTC": qty("2"), "USDT": qty("990"), "BNB": qty("-0.001")])
    }

    @Test func movesBalancesByWhatTheVenueTookNotByTheQuoteValuedFee() {
        var ledger = Self.ledger()
        // a buy whose fee the venue took in the base asset: PnL counts 0.1 USDT, the balance loses 0.001 BTC
        var base = Self.reports.fill("TW-a", .buy, "1", at: "100", tradeId: "T1", fee: "0.1")
        base.commission = FeeCharge(amount: usd("0.001"), asset: "BTC")
        ledger.apply(base)
        #expect(ledger.expectedBalances == ["BTC": qty("1.999"), "USDT": qty("900")])
        // a sell paid in BNB
        var bnb = Self.reports.fill("TW-b", .sell, "1", at: "100", tradeId: "T2", fee: "0.075")
        bnb.commission = FeeCharge(amount: usd("0.000125"), asset: "BNB")
        ledger.apply(bnb)
        #expect(ledger.expectedBalances == ["BTC": qty("0.999"), "USDT": qty("1000"), "BNB": qty("-0.000125")])
    }

    @Test func roundsNotionalHalfEvenLikeTheVenue() {
        var ledger = BalanceLedger(baseline: [:], instruments: ExecutionFixtures.instruments)
        ledger.apply(Self.reports.fill("TW-a", .buy, "0.5", at: "0.00000003", tradeId: "T1"))
        #expect(ledger.balance("USDT") == Quantity(units: -2))
    }

    @Test func appliesEachFillOnceAndIgnoresOtherReports() {
        var ledger = Self.ledger()
        let fill = Self.reports.fill("TW-a", .buy, "1", at: "100", tradeId: "T1")
        ledger.apply(fill)
        #expect(ledger.apply(fill) == .duplicate)
        #expect(ledger.apply(Self.reports.fill("TW-b", .buy, "1", at: "100", tradeId: "T1")) == .applied)
        #expect(ledger.apply(Self.reports.terminal("TW-c", .buy, .canceled, status: .canceled)) == .notAFill)
        var other = fill
        other.instrument = try! InstrumentId(parsing: "SIM:SOLUSDT")
        other.tradeId = "T9"
        #expect(ledger.apply(other) == .unknownInstrument)
        #expect(ledger.balance("BTC") == qty("3") && ledger.fillKeys == ["TW-a|T1", "TW-b|T1"])
    }

    @Test func restoresFromItsEncodingAndKeepsDeduplicating() throws {
        var ledger = Self.ledger()
        ledger.apply(Self.reports.fill("TW-a", .buy, "1", at: "100", tradeId: "T1"))
        var restored = try JSONDecoder().decode(BalanceLedger.self, from: try JSONEncoder().encode(ledger))
        #expect(restored == ledger)
        #expect(restored.apply(Self.reports.fill("TW-a", .buy, "1", at: "100", tradeId: "T1")) == .duplicate)
        #expect(restored.balance("USDT") == qty("900"))
    }

    @Test func rebasingKeepsFillsAlreadyCounted() {
        var ledger = Self.ledger()
        let fill = Self.reports.fill("TW-a", .buy, "1", at: "100", tradeId: "T1")
        ledger.apply(fill)
        ledger.rebase(to: ["BTC": qty("5")])
        #expect(ledger.apply(fill) == .duplicate)
        #expect(ledger.expectedBalances == ["BTC": qty("5")])
    }

    @Test func startsFromTheVenueAccountTotals() {
        let account = VenueAccount(
            balances: [VenueBalance(asset: "USDT", free: qty("820"), locked: qty("180")), VenueBalance(asset: "BTC", free: qty("1"), locked: .zero)],
            canTrade: true, timeNs: 0)
        let ledger = BalanceLedger(baseline: account, instruments: ExecutionFixtures.instruments)
        #expect(ledger.expectedBalances == ["USDT": qty("1000"), "BTC": qty("1")])
    }

    /// Property: over any seeded session, the ledger fed with the engine's reports equals the
    /// simulated venue's balances to the last unit, and reconciliation finds nothing.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func ledgerMatchesTheSimulatedVenueOverARandomSession(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let start: [String: Quantity] = ["BTC": qty("10"), "USDT": qty("100000"), "ETH": qty("50")]
        let venue = try ExecutionFixtures.venue(seed: seed, takerFeeBps: 7, makerFeeBps: -1, balances: start)
        var loop = try ExecutionFixtures.slice(core: ExecutionFixtures.core(), venue: venue)
        var ledger = BalanceLedger(baseline: loop.link!.venue.account(timeNs: 0), instruments: ExecutionFixtures.instruments)
        for step in 0..<300 {
            let time = Int64(step) * 1_000
            let instrument = random.nextBounded(2) == 0 ? TestInstruments.btcId : TestInstruments.ethId
            let center = 100 + Int(random.nextBounded(20))
            let cents = random.nextBounded(100)
            let quote = Quote(
                instrument: instrument, bid: px("\(center).\(cents)"), bidSize: Quantity(units: Int64(random.nextBounded(300_000_000)) + 1),
                ask: px("\(center + 1).\(cents)"), askSize: Quantity(units: Int64(random.nextBounded(300_000_000)) + 1), timeNs: time)
            var outputs = loop.apply(.quote(quote))
            let side: Side = random.nextBounded(2) == 0 ? .buy : .sell
            let size = "\(1 + random.nextBounded(3)).\(random.nextBounded(1_000))"
            let limit = random.nextBounded(3) == 0 ? nil : "\(center + Int(random.nextBounded(3)) - 1).\(random.nextBounded(100))"
            outputs += loop.apply(.approved(approvedOrder(
                "s\(step)", side, size, limit: limit, timeInForce: random.nextBounded(2) == 0 ? .gtc : .ioc,
                instrument: instrument, timeNs: time + 1)))
            if step % 7 == 0, let open = loop.core.openOrders.first {
                outputs += loop.apply(.cancel(clientOrderId: open.clientOrderId, timeNs: time + 2))
            }
            for report in outputs.reports { ledger.apply(report) }
        }
        let totals = BalanceLedger.totals(of: loop.link!.venue.account(timeNs: 1))
        #expect(totals == ledger.expectedBalances)
        #expect(ledger.fillKeys.count == loop.link!.venue.trades(instrument: TestInstruments.btcId, sinceNs: 0).count
            + loop.link!.venue.trades(instrument: TestInstruments.ethId, sinceNs: 0).count)
        let report = loop.reconcileWithSimulatedVenue(
            policy: ReconciliationPolicy(cancelUnknownOwnOrders: true), instruments: [TestInstruments.btcId, TestInstruments.ethId],
            sinceNs: 0, expectedBalances: ledger.expectedBalances, timeNs: 400_000)!.report
        #expect(report.isClean, "\(report.differences)")
    }
}
