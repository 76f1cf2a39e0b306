import Testing
import TradewindCore

@Suite struct RiskKillSwitchTests {
    private var intent = IntentBuilder()

    @Test mutating func engagingHaltsAndDeniesEveryIntent() throws {
        var engine = try RiskFixtures.engine()
        let outputs = engine.apply(.killSwitch(engaged: true, reason: "runaway strategy", timeNs: 10))
        #expect(outputs == [
            .killSwitchChanged(engaged: true, reason: "runaway strategy"),
            .tradingStateChanged(from: .active, to: .halted, reason: "kill switch engaged: runaway strategy"),
        ])
        #expect(engine.killSwitchEngaged)
        #expect(engine.tradingState == .halted)
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1", limit: "100")))) == .killSwitch)
        #expect(engine.apply(.killSwitch(engaged: true, reason: "again", timeNs: 11)).isEmpty)
    }

    @Test mutating func engagingWhileHaltedOnlyReportsTheSwitch() throws {
        var engine = try RiskFixtures.engine()
        _ = engine.apply(.command(TradingStateCommand(event: .halt, reason: "operator", timeNs: 1)))
        #expect(engine.apply(.killSwitch(engaged: true, reason: "kill", timeNs: 2)) == [.killSwitchChanged(engaged: true, reason: "kill")])
    }

    @Test(arguments: [TradingStateEvent.resume, .reduce])
    func refusesCommandsThatWouldLoosenWhileEngaged(event: TradingStateEvent) throws {
        var engine = try RiskFixtures.engine()
        _ = engine.apply(.killSwitch(engaged: true, reason: "kill", timeNs: 1))
        let outputs = engine.apply(.command(TradingStateCommand(event: event, reason: "operator", timeNs: 2)))
        #expect(outputs == [.commandRefused(event: event, reason: "kill switch engaged: kill")])
        #expect(engine.tradingState == .halted)
        #expect(engine.apply(.command(TradingStateCommand(event: .halt, reason: "operator", timeNs: 3))).isEmpty)
    }

    @Test mutating func releasingReturnsToActive() throws {
        var engine = try RiskFixtures.engine()
        _ = engine.apply(.killSwitch(engaged: true, reason: "kill", timeNs: 1))
        let outputs = engine.apply(.killSwitch(engaged: false, reason: "fixed", timeNs: 2))
        #expect(outputs == [
            .killSwitchChanged(engaged: false, reason: "fixed"),
            .tradingStateChanged(from: .halted, to: .active, reason: "kill switch released: fixed"),
        ])
        #expect(!engine.killSwitchEngaged)
        #expect(isApproved(engine.apply(.intent(intent(.buy, "0.1", limit: "100")))))
        #expect(engine.apply(.killSwitch(engaged: false, reason: "again", timeNs: 3)).isEmpty)
    }

    @Test mutating func releasingWhileALossLimitHoldsAppliesTheBreachActionAtOnce() throws {
        var engine = try RiskFixtures.engine(.testing { limits in
            limits.maxDailyLoss = usd("10")
            limits.breachAction = .reducing
        })
        _ = engine.apply(.killSwitch(engaged: true, reason: "kill", timeNs: 1))
        _ = engine.apply(.executionReport(RiskFixtures.fill("TW-a", .buy, "1", at: "100", tradeId: "F1")))
        _ = engine.apply(.executionReport(RiskFixtures.fill("TW-b", .sell, "0.5", at: "80", tradeId: "F2")))
        let outputs = engine.apply(.killSwitch(engaged: false, reason: "fixed", timeNs: 2))
        #expect(outputs == [
            .killSwitchChanged(engaged: false, reason: "fixed"),
            .tradingStateChanged(
                from: .halted, to: .reducing, reason: "kill switch released: fixed; DAILY_LOSS_LIMIT: realized -10 <= -10"),
        ])
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1", limit: "100")))) == .tradingReducing)
        #expect(isApproved(engine.apply(.intent(intent(.sell, "0.1", limit: "100")))))
    }

    @Test mutating func releasingWhileALossLimitHoldsStaysHaltedWhenTheActionIsHalt() throws {
        var engine = try RiskFixtures.engine(.testing { $0.maxDailyLoss = usd("10") })
        _ = engine.apply(.killSwitch(engaged: true, reason: "kill", timeNs: 1))
        _ = engine.apply(.executionReport(RiskFixtures.fill("TW-a", .buy, "1", at: "100", tradeId: "F1")))
        _ = engine.apply(.executionReport(RiskFixtures.fill("TW-b", .sell, "1", at: "90", tradeId: "F2")))
        #expect(engine.apply(.killSwitch(engaged: false, reason: "fixed", timeNs: 2)) == [.killSwitchChanged(engaged: false, reason: "fixed")])
        #expect(engine.tradingState == .halted)
        #expect(!engine.killSwitchEngaged)
        #expect(denialReason(engine.apply(.intent(intent(.buy, "0.1", limit: "100")))) == .tradingHalted)
    }
}
