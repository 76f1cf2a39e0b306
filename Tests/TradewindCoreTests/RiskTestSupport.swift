import Testing
import TradewindCore

extension RiskLimits {
    /// Limits for tests: BTC and ETH on SIM plus BTC on ALT, generous flow and loss limits so each
    /// test tightens only the limit it is about.
    static func testing(_ configure: (inout RiskLimits) -> Void = { _ in }) -> RiskLimits {
        var limits = RiskLimits(
            allowedInstruments: [TestInstruments.btcId, TestInstruments.ethId, RiskFixtures.altBtcId],
            instruments: [
                TestInstruments.btcId: TestInstruments.btc, TestInstruments.ethId: TestInstruments.eth,
                RiskFixtures.altBtcId: RiskFixtures.altBtc,
            ],
            maxOrderNotional: usd("10000"),
            maxOrderQuantity: [TestInstruments.btcId: qty("5"), TestInstruments.ethId: qty("5"), RiskFixtures.altBtcId: qty("5")],
            maxPosition: [TestInstruments.btcId: qty("1"), RiskFixtures.altBtcId: qty("1")],
            defaultMaxPosition: qty("0.5"),
            maxGrossExposure: usd("1000000"),
            priceCollarBps: 500,
            maxQuoteAgeNs: 1_000_000_000_000,
            strategyRateLimit: RateLimit(burst: 1_000, perSecond: 1_000),
            globalRateLimit: RateLimit(burst: 1_000, perSecond: 1_000),
            maxOpenOrders: 100,
            maxDailyLoss: usd("1000000"),
            maxDrawdown: usd("1000000"),
            breachAction: .halted,
            circuitBreaker: CircuitBreakerConfiguration(failureThreshold: 3, windowNs: 1_000_000_000, openDurationNs: 5_000_000_000))
        configure(&limits)
        return limits
    }
}

enum RiskFixtures {
    static let altBtcId = try! InstrumentId(parsing: "ALT:BTCUSDT")
    static let altBtc = Instrument(
        id: altBtcId, baseAsset: "BTC", quoteAsset: "USDT",
        tickSize: px("0.01"), lotSize: qty("0.001"), minQuantity: qty("0.001"))
    static let oneDayNs: Int64 = 86_400_000_000_000

    /// An engine with `limits` and quotes at mid `mid` for every instrument (none if nil).
    static func engine(_ limits: RiskLimits = .testing(), quotedAt mid: String? = "100") throws -> RiskEngine {
        var engine = try RiskEngine(limits: limits)
        if let mid {
            for instrument in limits.allowedInstruments.sorted() {
                _ = engine.apply(.quote(QuoteBuilder.mid(mid, instrument: instrument)))
            }
        }
        return engine
    }

    /// A report of `execType`/`status` for `clientOrderId` on `instrument`, with a reason.
    static func report(
        _ clientOrderId: String, _ execType: ExecType, status: OrderStatus, reason: OrderReason? = nil,
        instrument: InstrumentId = TestInstruments.btcId, timeNs: Int64 = 6
    ) -> ExecutionReport {
        var report = ReportBuilder(instrument: instrument).terminal(clientOrderId, .buy, execType, status: status)
        report.reason = reason
        report.timeNs = timeNs
        return report
    }

    /// A fill of `clientOrderId` at `timeNs` (`ReportBuilder.fill` with a time).
    static func fill(
        _ clientOrderId: String, _ side: Side, _ quantity: String, at price: String, tradeId: String,
        fee: String = "0", instrument: InstrumentId = TestInstruments.btcId, timeNs: Int64 = 5
    ) -> ExecutionReport {
        var report = ReportBuilder(instrument: instrument).fill(clientOrderId, side, quantity, at: price, tradeId: tradeId, fee: fee)
        report.timeNs = timeNs
        return report
    }
}

extension OrderIntent {
    /// The same intent at another event time.
    func at(_ timeNs: Int64) -> OrderIntent {
        var copy = self
        copy.timeNs = timeNs
        return copy
    }
}

/// The denial reason of a single-denial output, checking its limit/observed fields are decimals.
func denialReason(_ outputs: [RiskOutput], sourceLocation: SourceLocation = #_sourceLocation) -> RiskDenialReason? {
    guard let denial = outputs.lazy.compactMap({ output -> RiskDenial? in
        if case .denied(let denial) = output { return denial }
        return nil
    }).first else { return nil }
    for (field, text) in [("limit", denial.limit), ("observed", denial.observed)] {
        if let text {
            #expect(Money(text) != nil, "\(denial.reason) \(field) \"\(text)\" must be a decimal", sourceLocation: sourceLocation)
        }
    }
    return denial.reason
}

/// The approved order among `outputs`, if any.
func approvedOrder(in outputs: [RiskOutput]) -> ApprovedOrder? {
    for output in outputs {
        if case .approved(let order) = output { return order }
    }
    return nil
}

/// True if `outputs` is exactly one approval.
func isApproved(_ outputs: [RiskOutput]) -> Bool {
    outputs.count == 1 && approvedOrder(in: outputs) != nil
}

/// The trading-state changes among `outputs`.
func stateChanges(_ outputs: [RiskOutput]) -> [(from: TradingState, to: TradingState, reason: String)] {
    outputs.compactMap { output in
        if case .tradingStateChanged(let from, let to, let reason) = output { return (from, to, reason) }
        return nil
    }
}

/// The circuit changes among `outputs`, as (venue, from, to).
func circuitChanges(_ outputs: [RiskOutput]) -> [(venue: String, from: CircuitState, to: CircuitState)] {
    outputs.compactMap { output in
        if case .circuitChanged(let venue, let from, let to, _) = output { return (venue, from, to) }
        return nil
    }
}
