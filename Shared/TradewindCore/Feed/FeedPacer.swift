/// Paces a feed at `stepsPerSecond` from a timer that fires at a coarser cadence: each call says
/// how many steps are due by `nowNs` and gives each its own event time, spread back over the time
/// since the previous call that took steps and strictly increasing across calls, so two events of
/// one instrument never share an event time (downstream keys rely on that).
public struct FeedPacer: Sendable {
    public let stepsPerSecond: Int64
    /// Steps per call at most, so a stalled process does not answer with an unbounded burst.
    public let maxStepsPerCall: Int64
    private var firstNs: Int64?
    private var stepsTaken: Int64 = 0
    private var lastSteppedNs: Int64?
    private var lastEventNs: Int64?

    public init(stepsPerSecond: Int, maxStepsPerCall: Int64 = 10_000) {
        self.stepsPerSecond = Int64(max(1, stepsPerSecond))
        self.maxStepsPerCall = max(1, maxStepsPerCall)
    }

    /// The event times of the steps due by `nowNs` (the first call takes one step at `nowNs`).
    public mutating func due(nowNs: Int64) -> [Int64] {
        let start = firstNs ?? nowNs
        firstNs = start
        let elapsedSinceStart = Int128(max(0, nowNs - start))
        let due = Int64(elapsedSinceStart * Int128(stepsPerSecond) / 1_000_000_000) + 1
        let steps = min(max(due - stepsTaken, 0), maxStepsPerCall)
        stepsTaken = max(stepsTaken + steps, due - maxStepsPerCall)
        guard steps > 0 else { return [] }
        let from = lastSteppedNs ?? nowNs
        let span = Int128(max(0, nowNs - from))
        lastSteppedNs = nowNs
        var times: [Int64] = []
        times.reserveCapacity(Int(steps))
        for index in 1...steps {
            var time = from + Int64(span * Int128(index) / Int128(steps))
            if let last = lastEventNs, time <= last { time = last + 1 }
            times.append(time)
            lastEventNs = time
        }
        return times
    }
}
