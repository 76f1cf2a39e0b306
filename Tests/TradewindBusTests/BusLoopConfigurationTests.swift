import Testing
import TradewindBus

@Suite struct BusLoopConfigurationTests {
    func valid() -> BusLoopConfiguration {
        BusLoopConfiguration(service: "risk-manager", version: "1", publishEndpoint: "ipc:///tmp/x.pub")
    }

    @Test func defaultsFollowTheDesign() throws {
        let configuration = valid()
        #expect(configuration.heartbeatInterval == .milliseconds(500))
        #expect(configuration.heartbeatTimeout == .seconds(3))
        #expect(configuration.highWaterMark == 100_000)
        #expect(configuration.inboxCapacity == 65_536)
        try configuration.validate()
    }

    @Test(arguments: [0, -1])
    func rejectsAnInboxThatHoldsNothing(capacity: Int) {
        var configuration = valid()
        configuration.inboxCapacity = capacity
        #expect(throws: BusError.invalidConfiguration(key: "inboxCapacity", reason: "must be positive, got \(capacity)")) {
            try configuration.validate()
        }
    }

    @Test func rejectsHeartbeatIntervalAboveOneSecond() {
        var configuration = valid()
        configuration.heartbeatInterval = .milliseconds(1_001)
        #expect(throws: BusError.self) { try configuration.validate() }
    }

    @Test func rejectsServiceNamesThatBreakTopics() {
        var configuration = valid()
        configuration.service = "risk.manager"
        #expect {
            try configuration.validate()
        } throws: { error in
            guard case .invalidConfiguration(let key, _) = error as? BusError else { return false }
            return key == "service"
        }
    }

    @Test func rejectsSubscriptionWithoutUpstreamName() {
        var configuration = valid()
        configuration.subscriptions = [BusSubscription(endpoint: "ipc:///tmp/y.pub", topicPrefixes: [], upstreamService: "")]
        #expect(throws: BusError.self) { try configuration.validate() }
    }

    @Test func wallClockIsRealtimeNanoseconds() {
        let now = WallClock.nowNs()
        #expect(now > 1_700_000_000_000_000_000)
        #expect(WallClock.nowNs() >= now)
    }
}
