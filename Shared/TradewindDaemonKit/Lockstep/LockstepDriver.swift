import TradewindBus
import TradewindWire

/// A daemon's side of a lockstep replay, on its bus thread: it queues what its upstreams publish,
/// hands it to the host in the `LockstepPlan` order, moves the machines' time at each step, and
/// announces its watermarks. Before the first step it announces its step-0 watermark once it has
/// heard every upstream (its subscriptions deliver), which is what market data waits for to start.
public final class LockstepDriver: @unchecked Sendable {  // used on the bus thread only
    private var sequencer: LockstepSequencer<BusMessage>
    private let upstreams: Set<String>
    private var heard: Set<String> = []
    private var started = false

    public init(service: String, upstreams: [String]) {
        sequencer = LockstepSequencer(stages: LockstepPlan.stages(for: service))
        self.upstreams = Set(upstreams)
    }

    /// The driver of one of the suite's daemons, if the suite replays in lockstep.
    public convenience init?(_ service: SuiteService, runtime: RuntimeSettings) {
        guard runtime.lockstep else { return nil }
        self.init(service: service.name, upstreams: service.upstreams.map(\.service))
    }

    /// The step being worked on.
    public var step: UInt64 { sequencer.step }

    /// Takes every message the host receives; `handle` runs for the ones to process now, in order,
    /// `clock` when the step's time arrives.
    public func receive(
        _ message: BusMessage, context: BusLoopContext, handle: (BusMessage) -> Void, clock: (Int64) -> Void
    ) {
        let publisher = message.envelope.publisher
        switch message.payload {
        case .heartbeat?:
            if upstreams.contains(publisher) { heard.insert(publisher) }
            if !started, heard == upstreams {
                started = true
                if let phase = LockstepPlan.finalPhases[context.service] {
                    Self.announce(phase: phase, step: 0, timeNs: 0, context: context)
                }
            }
            return
        case .watermark(let watermark)?:
            sequencer.receive(.watermark(phase: watermark.phase, step: watermark.step, timeNs: watermark.timeNs), from: publisher)
        default:
            sequencer.receive(.message(message), from: publisher)
        }
        for action in sequencer.drain() {
            switch action {
            case .handle(let queued): handle(queued)
            case .clock(let timeNs): clock(timeNs)
            case .announce(let phase, let step, let timeNs): Self.announce(phase: phase, step: step, timeNs: timeNs, context: context)
            }
        }
    }

    /// Publishes `wm.<service>` for `phase` of `step`.
    public static func announce(phase: Tradewind_V1_Watermark.Phase, step: UInt64, timeNs: Int64, context: BusLoopContext) {
        var watermark = Tradewind_V1_Watermark()
        watermark.phase = phase
        watermark.step = step
        watermark.timeNs = timeNs
        context.publish(topic: BusTopic.watermark(service: context.service), payload: .watermark(watermark), eventTimeNs: timeNs)
    }
}
