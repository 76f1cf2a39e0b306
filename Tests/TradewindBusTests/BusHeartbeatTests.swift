import Testing
import TradewindBus
import TradewindWire

extension BusIntegrationTests {
    @Suite struct Heartbeats {
        @Test func heartbeatsArriveAtIntervalAndStalenessIsDetectedWhenPublisherStops() async throws {
            let directory = try BusTestSupport.makeSocketDirectory()
            defer { BusTestSupport.removeDirectory(directory) }
            let publisherConfiguration = BusTestSupport.configuration(
                service: "hbpub", directory: directory, heartbeatInterval: .milliseconds(100))
            let publisher = BusLoop(configuration: publisherConfiguration, handler: RecordingHandler(), logger: BusTestSupport.logger)
            try publisher.start()
            let handler = RecordingHandler()
            let subscriber = BusLoop(
                configuration: BusTestSupport.configuration(
                    service: "hbsub", directory: directory,
                    subscriptions: [BusSubscription(
                        endpoint: BusTestSupport.endpoint(directory, "hbpub"), topicPrefixes: [], upstreamService: "hbpub")],
                    heartbeatTimeout: .seconds(1)),
                handler: handler, logger: BusTestSupport.logger)
            try subscriber.start()

            #expect(await BusTestSupport.waitUntil { handler.messages(from: "hbpub").count >= 6 })
            let heartbeats = handler.messages(from: "hbpub")
            // never faster than the interval: each is due an interval after the previous one was
            // due, and none goes out before it is due (one may be late, so the next can follow soon)
            let times = heartbeats.map(\.envelope.publishTimeNs)
            let intervalNs: Int64 = 100_000_000
            #expect(times.last! - times.first! >= Int64(times.count - 2) * intervalNs, "publish times \(times)")
            for message in heartbeats {
                #expect(message.topic == "hb.hbpub")
                guard case .heartbeat(let body) = message.payload else {
                    Issue.record("not a heartbeat: \(message)")
                    continue
                }
                #expect(body.service == "hbpub")
                #expect(body.version == "test")
                #expect(body.startedAtNs > 0 && body.startedAtNs <= message.envelope.publishTimeNs)
                #expect(body.messagesPublished == message.envelope.sequence)
            }
            let fresh = subscriber.health.upstreams["hbpub"]
            #expect(fresh?.stale == false)
            #expect(fresh?.lastSeenNs != nil)
            #expect(subscriber.health.isReady)

            #expect(await BusTestSupport.stopAndJoin(publisher))
            #expect(await BusTestSupport.waitUntil(timeout: .seconds(30)) { subscriber.health.upstreams["hbpub"]?.stale == true })
            #expect(handler.snapshot.staleness.map(\.stale) == [true])
            #expect(!subscriber.health.isReady)
            #expect(subscriber.health.staleUpstreams == ["hbpub"])

            let restarted = BusLoop(configuration: publisherConfiguration, handler: RecordingHandler(), logger: BusTestSupport.logger)
            try restarted.start()
            #expect(await BusTestSupport.waitUntil { subscriber.health.upstreams["hbpub"]?.stale == false })
            #expect(await BusTestSupport.waitUntil { handler.snapshot.restarts == ["hbpub"] })
            #expect(handler.snapshot.staleness.map(\.stale) == [true, false])
            #expect(subscriber.health.sequenceGapsTotal == 0)
            #expect(await BusTestSupport.stopAndJoin(restarted))
            #expect(await BusTestSupport.stopAndJoin(subscriber))
        }

        @Test func upstreamNeverHeardTurnsStaleAfterGracePeriod() async throws {
            let directory = try BusTestSupport.makeSocketDirectory()
            defer { BusTestSupport.removeDirectory(directory) }
            let handler = RecordingHandler()
            let loop = BusLoop(
                configuration: BusTestSupport.configuration(
                    service: "lonely", directory: directory,
                    subscriptions: [BusSubscription(
                        endpoint: BusTestSupport.endpoint(directory, "ghost"), topicPrefixes: ["md."], upstreamService: "ghost")],
                    heartbeatTimeout: .milliseconds(150)),
                handler: handler, logger: BusTestSupport.logger)
            try loop.start()
            #expect(loop.health.upstreams["ghost"] == HeartbeatMonitor.Status(service: "ghost", lastSeenNs: nil, stale: false))
            #expect(await BusTestSupport.waitUntil(timeout: .seconds(30)) { loop.health.upstreams["ghost"]?.stale == true })
            #expect(handler.snapshot.staleness.map(\.service) == ["ghost"])
            #expect(await BusTestSupport.stopAndJoin(loop))
        }
    }
}
