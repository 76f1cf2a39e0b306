import TradewindWire

/// Each daemon's stages in a lockstep replay, mirroring `CoreRuntime`'s processing order, and the
/// watermark it announces once it can hear all its upstreams (step 0, before the first event).
public enum LockstepPlan {
    public typealias Phase = Tradewind_V1_Watermark.Phase

    /// The stages of `service` (empty for market data, which drives the steps).
    public static func stages(for service: String) -> [LockstepStage] {
        let (marketData, strategy, risk, execution) = (
            SuiteServices.marketData.name, SuiteServices.signalBridge.name, SuiteServices.riskManager.name,
            SuiteServices.executionEngine.name)
        switch service {
        case strategy:
            return [.take(from: marketData, until: .marketData), .announce(.strategy)]
        case risk:
            return [
                .take(from: marketData, until: .marketData), .clock, .take(from: strategy, until: .strategy),
                .announce(.riskDecisions), .take(from: execution, until: .execution), .announce(.riskReports),
            ]
        case execution:
            return [
                .take(from: risk, until: .riskReports, previousStep: true), .take(from: marketData, until: .marketData), .clock,
                .take(from: risk, until: .riskDecisions), .announce(.execution),
            ]
        case SuiteServices.positionTracker.name:
            return [.take(from: marketData, until: .marketData), .take(from: execution, until: .execution), .announce(.positions)]
        default:
            return []
        }
    }

    /// The watermark that ends each daemon's step, which market data waits for before the next event.
    public static let finalPhases: [String: Phase] = [
        SuiteServices.signalBridge.name: .strategy,
        SuiteServices.riskManager.name: .riskReports,
        SuiteServices.executionEngine.name: .execution,
        SuiteServices.positionTracker.name: .positions,
    ]
}
