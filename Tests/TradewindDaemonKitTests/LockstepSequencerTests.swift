import Testing
import TradewindDaemonKit

/// The lockstep order: whatever the interleaving between sockets, the stages take each upstream's
/// messages up to its watermark, in the plan's order.
@Suite struct LockstepSequencerTests {
    typealias Sequencer = LockstepSequencer<String>

    /// The risk manager's plan, with messages named by what they are.
    private static func risk() -> Sequencer { Sequencer(stages: LockstepPlan.stages(for: "risk-manager")) }

    private static func handled(_ actions: [Sequencer.Action]) -> [String] {
        actions.map { action in
            switch action {
            case .handle(let message): message
            case .clock(let time): "clock \(time)"
            case .announce(let phase, let step, _): "announce \(phase) \(step)"
            }
        }
    }

    @Test func intentsWaitForTheStepsQuotesHoweverTheyArrive() {
        var sequencer = Self.risk()
        sequencer.receive(.message("intent 1"), from: "signal-bridge")
        sequencer.receive(.watermark(phase: .strategy, step: 1, timeNs: 0), from: "signal-bridge")
        #expect(sequencer.drain().isEmpty, "the intent came first, but the step's quote has not")
        sequencer.receive(.message("quote 1"), from: "market-data")
        sequencer.receive(.watermark(phase: .marketData, step: 1, timeNs: 77), from: "market-data")
        #expect(Self.handled(sequencer.drain()) == ["quote 1", "clock 77", "intent 1", "announce riskDecisions 1"])
        sequencer.receive(.message("fill 1"), from: "execution-engine")
        sequencer.receive(.watermark(phase: .execution, step: 1, timeNs: 77), from: "execution-engine")
        #expect(Self.handled(sequencer.drain()) == ["fill 1", "announce riskReports 1"])
        #expect(sequencer.step == 2)
    }

    @Test func executionTakesRisksLastReportsPhaseBeforeTheNextStepsQuotes() {
        var sequencer = Sequencer(stages: LockstepPlan.stages(for: "execution-engine"))
        // risk's stream: its step-0 watermark, approvals of step 1, a state change after step 1's reports
        for (entry, from) in [
            (Sequencer.Entry.message("initial state"), "risk-manager"),
            (.watermark(phase: .riskReports, step: 0, timeNs: 0), "risk-manager"),
            (.message("quote 1"), "market-data"), (.watermark(phase: .marketData, step: 1, timeNs: 10), "market-data"),
            (.message("approved 1"), "risk-manager"), (.watermark(phase: .riskDecisions, step: 1, timeNs: 10), "risk-manager"),
            (.message("halted"), "risk-manager"), (.watermark(phase: .riskReports, step: 1, timeNs: 10), "risk-manager"),
            (.message("quote 2"), "market-data"), (.watermark(phase: .marketData, step: 2, timeNs: 20), "market-data"),
        ] as [(Sequencer.Entry, String)] {
            sequencer.receive(entry, from: from)
        }
        #expect(Self.handled(sequencer.drain()) == [
            "initial state", "quote 1", "clock 10", "approved 1", "announce execution 1",
            "halted", "quote 2", "clock 20",
        ])
        #expect(sequencer.step == 2)
    }

    @Test func theGateLetsAStepOutOnlyWhenEveryDaemonFinishedThePreviousOne() {
        var gate = LockstepGate()
        #expect(!gate.canPublish)
        for (service, phase) in LockstepPlan.finalPhases { gate.acknowledge(service: service, phase: phase, step: 0) }
        #expect(gate.canPublish)
        #expect(gate.publishNext() == 1)
        #expect(!gate.canPublish)
        gate.acknowledge(service: "risk-manager", phase: .riskDecisions, step: 1)
        for (service, phase) in LockstepPlan.finalPhases where service != "position-tracker" {
            gate.acknowledge(service: service, phase: phase, step: 1)
        }
        #expect(!gate.canPublish, "the tracker has not finished step 1")
        gate.acknowledge(service: "position-tracker", phase: .positions, step: 1)
        #expect(gate.canPublish)
    }
}
