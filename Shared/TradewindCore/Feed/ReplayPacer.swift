/// Paces a recorded stream against the wall clock: an event of time E is due once the wall time
/// since the start, times `speed`, has covered E minus the first event's time. Speed 0 means as fast
/// as possible (every event is due at once).
public struct ReplayPacer: Sendable {
    public let speed: Int
    private var firstEventNs: Int64?
    private var startWallNs: Int64?

    public init(speed: Int) {
        self.speed = max(0, speed)
    }

    /// True if an event of time `eventNs` is due at wall time `nowNs` (the first event sets the start).
    public mutating func isDue(eventNs: Int64, nowNs: Int64) -> Bool {
        guard speed > 0 else { return true }
        guard let first = firstEventNs, let start = startWallNs else {
            firstEventNs = eventNs
            startWallNs = nowNs
            return true
        }
        let elapsed = Int128(max(0, nowNs - start)) * Int128(speed)
        return elapsed >= Int128(eventNs) - Int128(first)
    }
}
