import Foundation
import Testing
import TradewindCore

@Suite struct ReconciliationTests {
    private static let btc = TestInstruments.btcId
    private static let cancelOrphans = ReconciliationPolicy(cancelUnknownOwnOrders: true)
    private static let reportOnly = ReconciliationPolicy(cancelUnknownOwnOrders: false)

    private static func reconcile(
        _ harness: ManualVenueHarness, policy: ReconciliationPolicy = cancelOrphans,
        expectedBalances: [String: Quantity]? = nil
    ) -> ReconciliationReport {
        Reconciler.reconcile(
            core: harness.core, venueOpenOrders: harness.venue.openOrders(instruments: [btc]),
            venueTrades: harness.venue.trades(instrument: btc, sinceNs: 0), instruments: [btc],
            expectedBalances: expectedBalances, account: expectedBalances.map { _ in harness.venue.account(timeNs: 9_000) },
            policy: policy, timeNs: 9_000)
    }

    private static func harness(balances: [String: Quantity] = [:]) throws -> ManualVenueHarness {
        ManualVenueHarness(core: ExecutionFixtures.core(), venue: try ExecutionFixtures.venue(balances: balances))
    }

    @Test func agreeingEngineAndVenueGiveACleanReport() throws {
        var harness = try Self.harness()
        harness.quote(QuoteBuilder(askSize: qty("1")).build())
        harness.apply(.approved(approvedOrder("a", .buy, "3", limit: "101", timeNs: 1_000)))
        harness.apply(.approved(approvedOrder("b", .sell, "1", limit: "150", timeNs: 1_001)))
        let report = Self.reconcile(harness)
        #expect(report.isClean && report.events.isEmpty && report.commands.isEmpty)
        #expect(report.timeNs == 9_000)
    }

    @Test func ownOrderOnlyAtTheVenueIsCanceled() throws {
        var harness = try Self.harness()
        let orphan = try harness.venue.placeExternal(
            clientOrderId: "TW-orphan", instrument: Self.btc, side: .buy, quantity: qty("1"), limitPrice: px("90"), timeNs: 5)
        let report = Self.reconcile(harness)
        #expect(report.differences == [ReconciliationDifference(
            kind: .orderOnlyAtVenue, instrument: Self.btc, clientOrderId: "TW-orphan", venueOrderId: orphan.venueOrderId,
            detail: "own order unknown to the engine open at the venue: buy 1 @ 90, filled 0", action: .cancel)])
        #expect(report.commands == [.cancel(clientOrderId: "TW-orphan", instrument: Self.btc)])
        #expect(report.events.isEmpty)

        _ = harness.venue.handle(report.commands[0], timeNs: 10)
        #expect(harness.venue.openOrders(instruments: [Self.btc]).isEmpty)
    }

    @Test func foreignOrdersAndOrphansUnderAReportOnlyPolicyAreOnlyReported() throws {
        var harness = try Self.harness()
        _ = try harness.venue.placeExternal(
            clientOrderId: "manual-1", instrument: Self.btc, side: .sell, quantity: qty("1"), limitPrice: px("150"), timeNs: 5)
        _ = try harness.venue.placeExternal(
            clientOrderId: "", instrument: Self.btc, side: .sell, quantity: qty("1"), limitPrice: px("151"), timeNs: 6)
        _ = try harness.venue.placeExternal(
            clientOrderId: "TW-orphan", instrument: Self.btc, side: .sell, quantity: qty("1"), limitPrice: px("152"), timeNs: 7)
        let cancelling = Self.reconcile(harness)
        #expect(cancelling.differences.map(\.action) == [.report, .report, .cancel])
        #expect(cancelling.differences.map(\.clientOrderId) == ["manual-1", nil, "TW-orphan"])
        #expect(cancelling.differences.allSatisfy { $0.kind == .orderOnlyAtVenue })
        let reporting = Self.reconcile(harness, policy: Self.reportOnly)
        #expect(reporting.differences.map(\.action) == [.report, .report, .report])
        #expect(reporting.commands.isEmpty)
    }

    @Test func fillTheEngineMissedIsReplayedAndCatchesTheOrderUp() throws {
        var harness = try Self.harness()
        harness.quote(QuoteBuilder(timeNs: 0).build())
        harness.apply(.approved(approvedOrder("a", .buy, "3", limit: "99", timeNs: 10)))
        // two maker fills at the venue whose events never reach the engine
        harness.quote(QuoteBuilder(bid: px("97"), ask: px("98.5"), askSize: qty("1"), timeNs: 20).build(), deliver: false)
        harness.quote(QuoteBuilder(bid: px("97"), ask: px("98.5"), askSize: qty("1.5"), timeNs: 30).build(), deliver: false)
        #expect(harness.core.order(clientOrderId: "TW-a")?.filledQuantity == .zero)

        let report = Self.reconcile(harness)
        #expect(report.differences.map(\.kind) == [.fillMissed, .fillMissed])
        #expect(report.differences.map(\.action) == [.applyFill, .applyFill])
        #expect(report.differences.first?.detail == "trade SIMT-1 of 1 @ 99 at 20 not applied")
        #expect(report.commands.isEmpty)
        #expect(report.events == [
            .venue(.filled(clientOrderId: "TW-a", venueOrderId: "SIM-1", tradeId: "SIMT-1", quantity: qty("1"),
                           price: px("99"), fee: usd("-0.0198"), liquidity: .maker, timeNs: 20)),
            .venue(.filled(clientOrderId: "TW-a", venueOrderId: "SIM-1", tradeId: "SIMT-2", quantity: qty("1.5"),
                           price: px("99"), fee: usd("-0.0297"), liquidity: .maker, timeNs: 30)),
        ])

        let reports = report.events.flatMap { harness.apply($0) }.reports
        #expect(reports.map(\.cumulativeQuantity) == [qty("1"), qty("2.5")])
        let order = try #require(harness.core.order(clientOrderId: "TW-a"))
        #expect(order.status == .partiallyFilled && order.filledQuantity == qty("2.5"))
        #expect(Self.reconcile(harness).isClean)
        #expect(report.events.flatMap { harness.apply($0) }.duplicates.count == 2)
    }

    @Test func missedFillThatCompletesTheOrderNeedsNoQuery() throws {
        var harness = try Self.harness()
        harness.quote(QuoteBuilder(timeNs: 0).build())
        harness.apply(.approved(approvedOrder("a", .buy, "1", limit: "99", timeNs: 10)))
        harness.quote(QuoteBuilder(bid: px("97"), ask: px("98.5"), timeNs: 20).build(), deliver: false)
        let report = Self.reconcile(harness)
        #expect(report.differences.map(\.kind) == [.fillMissed])
        #expect(report.commands.isEmpty)
        for event in report.events { harness.apply(event) }
        #expect(harness.core.order(clientOrderId: "TW-a")?.status == .filled)
    }

    @Test func tradesMatchByVenueOrderIdWhenTheClientIdIsMissing() throws {
        var core = ExecutionFixtures.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "2", limit: "99")))
        _ = core.apply(.venue(.accepted(clientOrderId: "TW-a", venueOrderId: "X-7", timeNs: 20)))
        let trade = VenueTrade(
            tradeId: "XT-1", venueOrderId: "X-7", clientOrderId: "", instrument: Self.btc, side: .buy, quantity: qty("2"),
            price: px("99"), fee: usd("0.1"), feeAsset: "USDT", liquidity: .maker, timeNs: 30)
        let report = Reconciler.reconcile(
            core: core, venueOpenOrders: [], venueTrades: [trade], policy: Self.cancelOrphans, timeNs: 40)
        #expect(report.events.map(\.timeNs) == [30])
        guard case .venue(.filled(let id, _, _, _, _, _, _, _, _))? = report.events.first else {
            Issue.record("expected a fill event")
            return
        }
        #expect(id == "TW-a")
    }

    @Test func aMissedFillWhoseFeeTheVenueTookInTheBaseAssetKeepsBothAmounts() throws {
        var core = ExecutionFixtures.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "2", limit: "99")))
        _ = core.apply(.venue(.accepted(clientOrderId: "TW-a", venueOrderId: "X-7", timeNs: 20)))
        let trade = VenueTrade(
            tradeId: "XT-1", venueOrderId: "X-7", clientOrderId: "TW-a", instrument: Self.btc, side: .buy, quantity: qty("2"),
            price: px("99"), fee: usd("0.002"), feeAsset: "BTC", quoteFee: usd("0.198"), liquidity: .maker, timeNs: 30)
        let report = Reconciler.reconcile(
            core: core, venueOpenOrders: [], venueTrades: [trade], policy: Self.cancelOrphans, timeNs: 40)
        guard case .venue(.filled(_, _, _, _, _, let fee, _, _, let charged))? = report.events.first else {
            Issue.record("expected a fill event, got \(report.events)")
            return
        }
        #expect(fee == usd("0.198"))
        #expect(charged == FeeCharge(amount: usd("0.002"), asset: "BTC"))
        let reports = core.apply(report.events[0]).compactMap { output -> ExecutionReport? in
            if case .report(let report) = output { report } else { nil }
        }
        #expect(reports.first?.fee == usd("0.198") && reports.first?.feeCurrency == "USDT")
        #expect(reports.first?.charged == FeeCharge(amount: usd("0.002"), asset: "BTC"))
    }

    @Test func fillsOfFinishedOrdersOrUnknownOwnOrdersAreReportedNotApplied() throws {
        var core = ExecutionFixtures.core()
        _ = core.apply(.approved(approvedOrder("a", .buy, "2", limit: "99")))
        _ = core.apply(.venue(.canceled(clientOrderId: "TW-a", reason: OrderReason(.notFoundAtVenue), timeNs: 20)))
        func trade(_ id: String, _ client: String) -> VenueTrade {
            VenueTrade(tradeId: id, venueOrderId: "X", clientOrderId: client, instrument: Self.btc, side: .buy,
                       quantity: qty("1"), price: px("99"), fee: .zero, feeAsset: "USDT", liquidity: .maker, timeNs: 30)
        }
        let report = Reconciler.reconcile(
            core: core, venueOpenOrders: [],
            venueTrades: [trade("T1", "TW-a"), trade("T2", "TW-lost"), trade("T3", "manual")],
            policy: Self.cancelOrphans, timeNs: 40)
        #expect(report.differences.map(\.clientOrderId) == ["TW-a", "TW-lost"])
        #expect(report.differences.allSatisfy { $0.kind == .fillMissed && $0.action == .report })
        #expect(report.events.isEmpty)
    }

    @Test func engineOrderTheVenueDoesNotListIsQueriedAndResolved() throws {
        var harness = try Self.harness()
        _ = harness.core.apply(.approved(approvedOrder("lost", .buy, "1", limit: "90", timeNs: 10)))  // never reached the venue
        let report = Self.reconcile(harness)
        #expect(report.differences.map(\.kind) == [.orderOnlyInEngine])
        #expect(report.differences.first?.detail == "submitted in the engine (filled 0 of 1) but not open at the venue")
        #expect(report.commands == [.query(clientOrderId: "TW-lost", instrument: Self.btc)])
        let outputs = report.commands.flatMap { command in
            harness.venue.handle(command, timeNs: 9_000).flatMap { harness.apply(.venue($0)) }
        }
        #expect(outputs.reports.map(\.reason?.code) == [.notFoundAtVenue])
        #expect(harness.core.openOrderCount == 0)
    }

    @Test func unacknowledgedOrderOpenAtTheVenueIsAStatusMismatch() throws {
        var harness = try Self.harness()
        harness.apply(.approved(approvedOrder("a", .buy, "1", limit: "90", timeNs: 10)), deliver: false)
        let report = Self.reconcile(harness)
        #expect(report.differences.map(\.kind) == [.statusMismatch])
        #expect(report.differences.first?.detail == "open at the venue but not acknowledged in the engine")
        #expect(report.commands == [.query(clientOrderId: "TW-a", instrument: Self.btc)])
    }

    @Test func ordersOnInstrumentsOutsideTheListingAreNotCompared() throws {
        var harness = try Self.harness()
        harness.apply(.approved(approvedOrder("e", .buy, "1", limit: "90", instrument: TestInstruments.ethId, timeNs: 10)))
        #expect(Self.reconcile(harness).isClean)
    }

    @Test func balancesDifferingBeyondTheToleranceAreReported() throws {
        var harness = try Self.harness(balances: ["BTC": qty("1"), "USDT": qty("1000")])
        var ledger = BalanceLedger(baseline: harness.venue.account(timeNs: 0), instruments: ExecutionFixtures.instruments)
        harness.quote(QuoteBuilder(timeNs: 0).build())
        for report in harness.apply(.approved(approvedOrder("a", .buy, "1", timeNs: 10))).reports { ledger.apply(report) }
        #expect(Self.reconcile(harness, expectedBalances: ledger.expectedBalances).isClean)

        var expected = ledger.expectedBalances
        expected["USDT"] = qty("1000")
        let report = Self.reconcile(harness, expectedBalances: expected)
        #expect(report.differences == [ReconciliationDifference(
            kind: .balanceMismatch, instrument: nil, clientOrderId: nil, venueOrderId: nil,
            detail: "asset USDT: expected 1000, venue 898.899, difference -101.101", action: .report)])
        let tolerant = ReconciliationPolicy(cancelUnknownOwnOrders: true, balanceTolerance: qty("200"))
        #expect(Self.reconcile(harness, policy: tolerant, expectedBalances: expected).isClean)
    }

    @Test func missedFillsMoveTheExpectedBalancesBeforeComparing() throws {
        var harness = try Self.harness(balances: ["BTC": qty("0"), "USDT": qty("1000")])
        let ledger = BalanceLedger(baseline: harness.venue.account(timeNs: 0), instruments: ExecutionFixtures.instruments)
        harness.quote(QuoteBuilder(timeNs: 0).build())
        harness.apply(.approved(approvedOrder("a", .buy, "1", limit: "99", timeNs: 10)))
        harness.quote(QuoteBuilder(bid: px("97"), ask: px("98.5"), timeNs: 20).build(), deliver: false)
        let report = Self.reconcile(harness, expectedBalances: ledger.expectedBalances)
        #expect(report.differences.map(\.kind) == [.fillMissed])
    }

    @Test func loopReconcilesAndAppliesInOneCall() throws {
        var loop = try ExecutionFixtures.slice(core: ExecutionFixtures.core(), venue: try ExecutionFixtures.venue())
        _ = loop.apply(.quote(QuoteBuilder(timeNs: 0).build()))
        _ = loop.apply(.approved(approvedOrder("a", .buy, "1", limit: "90", timeNs: 10)))
        let clean = loop.reconcileWithSimulatedVenue(policy: Self.cancelOrphans, instruments: [Self.btc], sinceNs: 0, timeNs: 100)
        #expect(clean?.report.isClean == true && clean?.outputs.isEmpty == true)
    }

    @Test func differencesAreCodableWithStableCodes() throws {
        #expect(ReconciliationDifference.Kind.allCases.map(\.rawValue) == [
            "order_only_at_venue", "order_only_in_engine", "status_mismatch", "fill_missed", "balance_mismatch",
        ])
        #expect(ReconciliationDifference.Action.allCases.map(\.rawValue) == ["cancel", "query", "apply_fill", "report"])
        let report = ReconciliationReport(
            differences: [ReconciliationDifference(
                kind: .fillMissed, instrument: Self.btc, clientOrderId: "TW-a", venueOrderId: "V", detail: "d", action: .applyFill)],
            events: [ExecutionFixtures.filled("TW-a", "T", "1", at: "1", time: 1)],
            commands: [.query(clientOrderId: "TW-a", instrument: Self.btc)], timeNs: 5)
        let json = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(ReconciliationReport.self, from: json) == report)
        #expect(String(decoding: json, as: UTF8.self).contains("\"fill_missed\""))
    }

    @Test func policyDecodesWithDefaultsAndRefusesUnknownKeys() throws {
        let policy = try JSONDecoder().decode(ReconciliationPolicy.self, from: Data(#"{"cancelUnknownOwnOrders": true}"#.utf8))
        #expect(policy == ReconciliationPolicy(cancelUnknownOwnOrders: true, ownOrderPrefix: "TW-", balanceTolerance: .zero))
        #expect(throws: ConfigurationError.self) {
            try JSONDecoder().decode(ReconciliationPolicy.self, from: Data(#"{"cancelUnknownOwnOrders": true, "prefix": "X"}"#.utf8))
        }
        #expect(throws: ConfigurationError.self) {
            try JSONDecoder().decode(ReconciliationPolicy.self, from: Data(#"{"cancelUnknownOwnOrders": true, "ownOrderPrefix": ""}"#.utf8))
        }
    }
}
