import Testing
import TradewindBus

@Suite struct HeartbeatMonitorTests {
    let second: Int64 = 1_000_000_000

    @Test func neverSeenUpstreamTurnsStaleOnlyAfterGracePeriod() {
        let monitor = HeartbeatMonitor(upstreams: ["md"], timeoutNs: 3 * second, startedAtNs: 0)
        #expect(!monitor.isStale("md", nowNs: 3 * second))
        #expect(monitor.isStale("md", nowNs: 3 * second + 1))
        #expect(monitor.status(nowNs: 4 * second) == [.init(service: "md", lastSeenNs: nil, stale: true)])
    }

    @Test func heartbeatKeepsUpstreamFreshUntilTimeout() {
        var monitor = HeartbeatMonitor(upstreams: ["md", "risk"], timeoutNs: 3 * second, startedAtNs: 0)
        monitor.recordHeartbeat(from: "md", atNs: 10 * second)
        #expect(!monitor.isStale("md", nowNs: 13 * second))
        #expect(monitor.isStale("md", nowNs: 13 * second + 1))
        #expect(monitor.staleServices(nowNs: 12 * second) == ["risk"])
    }

    @Test func customGracePeriodAppliesToNeverSeenUpstreams() {
        let monitor = HeartbeatMonitor(upstreams: ["md"], timeoutNs: second, startedAtNs: 0, graceNs: 5 * second)
        #expect(!monitor.isStale("md", nowNs: 4 * second))
        #expect(monitor.isStale("md", nowNs: 6 * second))
    }

    @Test func unwatchedServicesAreIgnored() {
        var monitor = HeartbeatMonitor(upstreams: ["md"], timeoutNs: second, startedAtNs: 0)
        monitor.recordHeartbeat(from: "stranger", atNs: 1)
        #expect(monitor.upstreams == ["md"])
        #expect(!monitor.isStale("stranger", nowNs: 100 * second))
    }

    @Test func olderHeartbeatNeverMovesLastSeenBack() {
        var monitor = HeartbeatMonitor(upstreams: ["md"], timeoutNs: second, startedAtNs: 0)
        monitor.recordHeartbeat(from: "md", atNs: 5 * second)
        monitor.recordHeartbeat(from: "md", atNs: 2 * second)
        #expect(monitor.status(nowNs: 5 * second).first?.lastSeenNs == 5 * second)
    }
}
