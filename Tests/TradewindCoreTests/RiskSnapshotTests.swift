import Foundation
import Testing
import TradewindCore

@Suite struct RiskSnapshotTests {
    private static let limits = RiskLimits.testing { limits in
        limits.maxDailyLoss = usd("10")
        limits.maxDrawdown = usd("15")
        limits.breachAction = .reducing
        limits.strategyRateLimit = RateLimit(burst: 3, perSecond: 1)
        limits.maxGrossExposure = usd("200")
    }

    /// A history touching every piece of state: fills with realized loss, a latched breach, pending
    /// orders, used rate-limit tokens, an open venue circuit, a finished order and quotes.
    private static func history() -> [RiskEvent] {
        var intent = IntentBuilder()
        var events: [RiskEvent] = [
            .quote(QuoteBuilder.mid("100", timeNs: 1_000)),
            .quote(QuoteBuilder.mid("100", instrument: TestInstruments.ethId, timeNs: 1_000)),
            .quote(QuoteBuilder.mid("100", instrument: RiskFixtures.altBtcId, timeNs: 1_000)),
            .intent(intent(.buy, "1", limit: "100")),
            .executionReport(RiskFixtures.fill("TW-i-1", .buy, "1", at: "100", tradeId: "F1", timeNs: 2_000)),
            .executionReport(RiskFixtures.fill("TW-x", .sell, "0.5", at: "80", tradeId: "F2", fee: "0.5", timeNs: 2_100)),
            .intent(intent(.sell, "0.2", limit: "100")),
            .quote(QuoteBuilder.mid("104", timeNs: 3_000)),
        ]
        for index in 0..<3 {
            events.append(.executionReport(RiskFixtures.report(
                "TW-v\(index)", .rejected, status: .rejected, reason: OrderReason(.venueUnavailable, "down"),
                instrument: RiskFixtures.altBtcId, timeNs: 3_100 + Int64(index))))
        }
        events.append(.intent(intent(.sell, "0.1", limit: "100", instrument: TestInstruments.ethId)))
        return events
    }

    /// What comes after the snapshot: more intents (rate limit, reducing, daily loss), quotes, a
    /// resume, the next UTC day with the circuit's half-open probe, and the clock expiring orders.
    private static func future() -> [RiskEvent] {
        var intent = IntentBuilder()
        intent.counter = 100
        let nextDay = RiskFixtures.oneDayNs + 1_000
        return [
            .intent(intent(.sell, "0.1", limit: "104")),
            .intent(intent(.sell, "0.1", limit: "104")),
            .intent(intent(.buy, "0.1", limit: "104")),
            .quote(QuoteBuilder.mid("96", timeNs: 200_000)),
            .command(TradingStateCommand(event: .resume, reason: "operator", timeNs: 200_001)),
            .intent(intent(.buy, "0.1", limit: "96").at(200_002)),
            .quote(QuoteBuilder.mid("100", instrument: RiskFixtures.altBtcId, timeNs: nextDay)),
            .quote(QuoteBuilder.mid("96", timeNs: nextDay)),
            .intent(intent(.buy, "0.001", limit: "100", instrument: RiskFixtures.altBtcId).at(nextDay)),
            .intent(intent(.buy, "0.001", limit: "100", instrument: RiskFixtures.altBtcId).at(nextDay)),
            .intent(intent(.sell, "0.1", limit: "96").at(nextDay)),
            .clock(timeNs: nextDay + 10_000_000_000),
            .intent(intent(.sell, "0.1", limit: "96").at(nextDay + 10_000_000_001)),
        ]
    }

    @Test func roundTripReproducesIdenticalDecisions() throws {
        var original = try RiskEngine(limits: Self.limits)
        for event in Self.history() { _ = original.apply(event) }
        #expect(original.tradingState == .reducing)
        #expect(!original.pendingOrders.isEmpty)
        #expect(original.circuitState(venue: "ALT") == .open)

        let data = try JSONEncoder().encode(original.snapshot)
        let decoded = try JSONDecoder().decode(RiskEngine.Snapshot.self, from: data)
        #expect(decoded == original.snapshot)
        var restored = try RiskEngine(limits: Self.limits, restoring: decoded)
        #expect(restored.snapshot == original.snapshot)
        #expect(restored.equity == original.equity)
        #expect(restored.dailyRealizedPnl == original.dailyRealizedPnl)

        var decisions: [[RiskOutput]] = []
        for event in Self.future() {
            let expected = original.apply(event)
            decisions.append(expected)
            #expect(restored.apply(event) == expected, "after \(event)")
        }
        #expect(restored.snapshot == original.snapshot)
        #expect(decisions.contains { denialReason($0) == .rateLimitStrategy })
        #expect(decisions.contains { denialReason($0) == .circuitOpen })
        #expect(decisions.contains { denialReason($0) == .dailyLossLimit })
        #expect(decisions.contains { !circuitChanges($0).isEmpty })
        #expect(decisions.contains { $0.contains { if case .pendingExpired = $0 { true } else { false } } })
    }

    @Test func restoredEngineKeepsTheKillSwitchAndRefusesResume() throws {
        var engine = try RiskFixtures.engine()
        _ = engine.apply(.killSwitch(engaged: true, reason: "incident", timeNs: 5))
        var restored = try RiskEngine(limits: .testing(), restoring: engine.snapshot)
        #expect(restored.killSwitchEngaged)
        #expect(restored.tradingState == .halted)
        #expect(restored.apply(.command(TradingStateCommand(event: .resume, reason: "x", timeNs: 6)))
            == [.commandRefused(event: .resume, reason: "kill switch engaged: incident")])
    }

    @Test func keepsWhyTradingIsInItsStateAcrossARestore() throws {
        var engine = try RiskEngine(limits: Self.limits, tradingStateReason: "configured")
        #expect(engine.tradingStateReason == "configured")
        for event in Self.history() { _ = engine.apply(event) }
        #expect(engine.tradingState == .reducing && engine.tradingStateReason.contains("DAILY_LOSS_LIMIT"))
        let restored = try RiskEngine(limits: Self.limits, restoring: engine.snapshot)
        #expect(restored.tradingStateReason == engine.tradingStateReason)

        // a snapshot written before the reason was kept decodes without it
        var json = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(engine.snapshot)) as? [String: Any])
        json["tradingStateReason"] = nil
        let older = try JSONDecoder().decode(RiskEngine.Snapshot.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(older.tradingStateReason == nil)
        #expect(try RiskEngine(limits: Self.limits, restoring: older).tradingStateReason == "")
    }

    @Test func refusesContradictorySnapshots() throws {
        var engine = try RiskFixtures.engine()
        _ = engine.apply(.killSwitch(engaged: true, reason: "incident", timeNs: 5))
        var snapshot = engine.snapshot
        snapshot.tradingState = .active
        #expect(throws: ConfigurationError.self) { try RiskEngine(limits: .testing(), restoring: snapshot) }

        var filled = try RiskFixtures.engine()
        _ = filled.apply(.executionReport(RiskFixtures.fill("TW-a", .buy, "1", at: "100", tradeId: "F1")))
        snapshot = filled.snapshot
        snapshot.positions[TestInstruments.btcId] = qty("2")
        #expect(throws: ConfigurationError.self) { try RiskEngine(limits: .testing(), restoring: snapshot) }
    }
}
