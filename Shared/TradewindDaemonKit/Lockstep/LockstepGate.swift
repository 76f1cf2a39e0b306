/// Market data's side of a lockstep replay: the next step may go out once every downstream daemon
/// announced the final watermark of the previous one (step 0: it is up and hears its upstreams).
public struct LockstepGate: Sendable {
    /// The step last published (0 before the first).
    public private(set) var published: UInt64 = 0
    private var finished: [String: UInt64] = [:]

    public init() {}

    /// Notes a downstream's watermark; only its final phase counts.
    public mutating func acknowledge(service: String, phase: LockstepPlan.Phase, step: UInt64) {
        guard LockstepPlan.finalPhases[service] == phase else { return }
        finished[service] = max(finished[service] ?? 0, step)
    }

    /// The last step every downstream daemon finished.
    public var acknowledged: UInt64 {
        LockstepPlan.finalPhases.keys.map { finished[$0] ?? 0 }.min() ?? 0
    }

    /// Every downstream finished the step last published.
    public var canPublish: Bool {
        LockstepPlan.finalPhases.keys.allSatisfy { service in finished[service].map { $0 >= published } ?? false }
    }

    /// Records that the next step went out; returns its number.
    public mutating func publishNext() -> UInt64 {
        published += 1
        return published
    }
}
