/// A loss limit that currently holds, with texts for denials and state-change reasons.
struct BreachReport {
    var detail: String
    var limit: String
    var observed: String
}

extension RiskEngine {
    /// Today's realized PnL is at or below -maxDailyLoss.
    var isDailyLossBreached: Bool { ledger.dailyRealizedPnl <= -limits.maxDailyLoss }

    /// Equity is at least maxDrawdown below its peak.
    var isDrawdownBreached: Bool { ledger.drawdown >= limits.maxDrawdown }

    /// The daily loss breach with its texts, if it holds.
    func dailyLossBreach() -> BreachReport? {
        guard isDailyLossBreached else { return nil }
        let realized = ledger.dailyRealizedPnl
        let floor = -limits.maxDailyLoss
        return BreachReport(
            detail: "\(RiskDenialReason.dailyLossLimit.code): realized \(realized) <= \(floor)",
            limit: "\(floor)", observed: "\(realized)")
    }

    /// The drawdown breach with its texts, if it holds.
    func drawdownBreach() -> BreachReport? {
        guard isDrawdownBreached else { return nil }
        let drawdown = ledger.drawdown
        return BreachReport(
            detail: "\(RiskDenialReason.maxDrawdown.code): drawdown \(drawdown) >= \(limits.maxDrawdown) (equity \(ledger.equity), peak \(ledger.equityPeak))",
            limit: "\(limits.maxDrawdown)", observed: "\(drawdown)")
    }

    /// Edge-triggered loss breakers: a breach that starts to hold moves trading to `breachAction`
    /// (if that is stricter than now) once; the latch re-arms when the breach stops holding.
    /// Allocates nothing unless a breaker fires (it runs on every quote of a held instrument).
    mutating func evaluateBreaches() -> [RiskOutput] {
        var outputs: [RiskOutput] = []
        if isDailyLossBreached != breachLatches.dailyLoss {
            breachLatches.dailyLoss.toggle()
            if breachLatches.dailyLoss, let breach = dailyLossBreach() { outputs += escalate(reason: breach.detail) }
        }
        if isDrawdownBreached != breachLatches.drawdown {
            breachLatches.drawdown.toggle()
            if breachLatches.drawdown, let breach = drawdownBreach() { outputs += escalate(reason: breach.detail) }
        }
        return outputs
    }

    private mutating func escalate(reason: String) -> [RiskOutput] {
        guard limits.breachAction.isStricter(than: tradingState) else { return [] }
        return changeState(to: limits.breachAction, reason: reason)
    }

    /// Halts trading and refuses resume/reduce commands until released.
    mutating func engageKillSwitch(reason: String) -> [RiskOutput] {
        guard !killSwitchEngaged else { return [] }
        killSwitchEngaged = true
        killSwitchReason = reason
        return [.killSwitchChanged(engaged: true, reason: reason)]
            + changeState(to: .halted, reason: "kill switch engaged: \(reason)")
    }

    /// Back to active trading, or straight to `breachAction` if a loss limit still holds.
    mutating func releaseKillSwitch(reason: String) -> [RiskOutput] {
        guard killSwitchEngaged else { return [] }
        killSwitchEngaged = false
        killSwitchReason = reason
        var target = TradingState.active
        var why = "kill switch released: \(reason)"
        if let breach = dailyLossBreach() {
            breachLatches.dailyLoss = true
            target = limits.breachAction
            why += "; \(breach.detail)"
        }
        if let breach = drawdownBreach() {
            breachLatches.drawdown = true
            target = limits.breachAction
            why += "; \(breach.detail)"
        }
        return [.killSwitchChanged(engaged: false, reason: reason)] + changeState(to: target, reason: why)
    }

    /// Moves `venue`'s open circuit to half-open once its open duration passed.
    mutating func tickCircuit(_ venue: String, at timeNs: Int64) -> [RiskOutput] {
        applyCircuit(venue, .clock(timeNs: timeNs))
    }

    /// `tickCircuit` for every venue, in venue order.
    mutating func tickCircuits(at timeNs: Int64) -> [RiskOutput] {
        // venues in name order; one venue (the usual case) needs no sorting
        if circuitBreakers.count == 1, let venue = circuitBreakers.keys.first { return tickCircuit(venue, at: timeNs) }
        var outputs: [RiskOutput] = []
        for venue in circuitBreakers.keys.sorted() {
            outputs += tickCircuit(venue, at: timeNs)
        }
        return outputs
    }

    /// Feeds a report to its venue's breaker: rejects whose code is a venue failure are failures
    /// (the execution engine's local rejects are not; a reject without a reason is `UNKNOWN`),
    /// acks and fills successes.
    mutating func recordVenueOutcome(_ report: ExecutionReport) -> [RiskOutput] {
        let event: CircuitBreaker.Event
        let reason = report.reason ?? OrderReason(.unknown, "reject without a reason")
        if report.orderStatus == .rejected, reason.code.isVenueFailure {
            event = .failure(clientOrderId: report.clientOrderId, reason: reason, timeNs: report.timeNs)
        } else {
            switch report.execType {
            case .ack, .partialFill, .fill:
                event = .success(clientOrderId: report.clientOrderId)
            case .canceled, .rejected:
                guard report.orderStatus.isTerminal else { return [] }
                event = .finished(clientOrderId: report.clientOrderId)
            }
        }
        return applyCircuit(report.instrument.venue, event)
    }

    /// Applies `event` to `venue`'s breaker (created on its first failure; only allowed venues have one).
    mutating func applyCircuit(_ venue: String, _ event: CircuitBreaker.Event) -> [RiskOutput] {
        guard allowedVenues.contains(venue) else { return [] }
        if circuitBreakers[venue] == nil {
            guard case .failure = event else { return [] }
            circuitBreakers[venue] = CircuitBreaker()
        }
        guard let transition = circuitBreakers[venue]?.apply(event, configuration: limits.circuitBreaker) else { return [] }
        return [.circuitChanged(venue: venue, from: transition.from, to: transition.to, reason: transition.reason)]
    }
}
