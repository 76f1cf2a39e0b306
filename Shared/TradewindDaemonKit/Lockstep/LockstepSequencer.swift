import TradewindWire

/// One thing a daemon does in each step of a lockstep replay.
public enum LockstepStage: Sendable, Hashable {
    /// Handle what `service` published until its watermark of `phase` for this step (or, with
    /// `previousStep`, for the step before: what it published after this daemon last heard from it).
    case take(from: String, until: Tradewind_V1_Watermark.Phase, previousStep: Bool = false)
    /// Let the machines' time move to the step's event time (from market data's watermark).
    case clock
    /// Publish this daemon's watermark of `phase` for the step.
    case announce(Tradewind_V1_Watermark.Phase)
}

/// The order in which a daemon handles its upstreams' messages in a lockstep replay, so every run
/// (and the backtest, `CoreRuntime`) sees the same events in the same order, whatever the timing
/// between sockets: messages wait in a queue per upstream, and the stages of a step take them in
/// turn, each up to the upstream's watermark. Pure bookkeeping; the host does what it returns.
public struct LockstepSequencer<Message>: Sendable where Message: Sendable {
    public let stages: [LockstepStage]
    /// The step being worked on (1 for the dataset's first event).
    public private(set) var step: UInt64 = 1
    /// Event time of the current step, once market data's watermark for it arrived.
    public private(set) var stepTimeNs: Int64?
    private var stage = 0
    private var queues: [String: [Entry]] = [:]
    private var heads: [String: Int] = [:]

    /// A message as it arrived, or an upstream's watermark.
    public enum Entry: Sendable {
        case message(Message)
        case watermark(phase: Tradewind_V1_Watermark.Phase, step: UInt64, timeNs: Int64)
    }

    /// What the host must do, in order.
    public enum Action: Sendable {
        case handle(Message)
        case clock(timeNs: Int64)
        case announce(phase: Tradewind_V1_Watermark.Phase, step: UInt64, timeNs: Int64)
    }

    public init(stages: [LockstepStage]) {
        self.stages = stages
    }

    /// Queues what `service` published.
    public mutating func receive(_ entry: Entry, from service: String) {
        queues[service, default: []].append(entry)
    }

    /// Everything that can be done with what has arrived, in order; stops at a stage waiting for
    /// a message not yet here.
    public mutating func drain() -> [Action] {
        var actions: [Action] = []
        while true {
            switch stages[stage] {
            case .clock:
                actions.append(.clock(timeNs: stepTimeNs ?? 0))
            case .announce(let phase):
                actions.append(.announce(phase: phase, step: step, timeNs: stepTimeNs ?? 0))
            case .take(let service, let phase, let previousStep):
                let target = previousStep ? step - 1 : step
                guard take(from: service, until: phase, step: target, into: &actions) else { return actions }
            }
            stage += 1
            if stage == stages.count {
                stage = 0
                step += 1
                stepTimeNs = nil
            }
        }
    }

    /// Takes `service`'s queue up to its watermark (`phase`, `step`); false if that has not arrived yet.
    private mutating func take(
        from service: String, until phase: Tradewind_V1_Watermark.Phase, step target: UInt64, into actions: inout [Action]
    ) -> Bool {
        var head = heads[service, default: 0]
        defer { compact(service, head: head) }
        let queue = queues[service, default: []]
        while head < queue.count {
            let entry = queue[head]
            head += 1
            switch entry {
            case .message(let message):
                actions.append(.handle(message))
            case .watermark(let found, let foundStep, let timeNs):
                guard found == phase, foundStep >= target else { continue }
                if phase == .marketData { stepTimeNs = timeNs }
                return true
            }
        }
        return false
    }

    private mutating func compact(_ service: String, head: Int) {
        if head >= 1024 || head == queues[service]?.count {
            queues[service]?.removeFirst(head)
            heads[service] = 0
        } else {
            heads[service] = head
        }
    }
}
