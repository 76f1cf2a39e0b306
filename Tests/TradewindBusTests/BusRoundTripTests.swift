import Testing
import TradewindBus
import TradewindWire

extension BusIntegrationTests {
    @Suite struct RoundTrip {
        let directory: String

        init() throws { directory = try BusTestSupport.makeSocketDirectory() }

        func startPair(
            prefixes: [String], detectGaps: Bool = true
        ) throws -> (publisher: BusLoop, subscriber: BusLoop, received: RecordingHandler) {
            let publisher = BusLoop(
                configuration: BusTestSupport.configuration(service: "alpha", directory: directory),
                handler: RecordingHandler(), logger: BusTestSupport.logger)
            try publisher.start()
            let received = RecordingHandler()
            let subscription = BusSubscription(
                endpoint: BusTestSupport.endpoint(directory, "alpha"), topicPrefixes: prefixes,
                upstreamService: "alpha", detectGaps: detectGaps)
            let subscriber = BusLoop(
                configuration: BusTestSupport.configuration(service: "beta", directory: directory, subscriptions: [subscription]),
                handler: received, logger: BusTestSupport.logger)
            try subscriber.start()
            return (publisher, subscriber, received)
        }

        func stop(_ loops: BusLoop...) async {
            for loop in loops { #expect(await BusTestSupport.stopAndJoin(loop)) }
            BusTestSupport.removeDirectory(directory)
        }

        @Test func everyPayloadTypeRoundTripsWithConsecutiveSequences() async throws {
            let (publisher, subscriber, received) = try startPair(
                prefixes: ["md.", "sig.", "intent.", "risk.", "exec.", "pos.", "pnl.", "hb.", "ctl."])
            #expect(await BusTestSupport.waitUntil { !received.messages(from: "alpha").isEmpty })

            let fixtures = PayloadFixtures.all()
            let sent = SentEnvelopes()
            publisher.submit { context in
                for (index, fixture) in fixtures.enumerated() {
                    sent.append(context.publish(
                        topic: fixture.topic, payload: fixture.payload,
                        eventTimeNs: 1_000 + Int64(index), correlationId: "intent-\(index)"))
                }
            }
            let topics = Set(fixtures.map(\.topic))
            #expect(await BusTestSupport.waitUntil {
                received.messages.filter { topics.contains($0.topic) }.count == fixtures.count
            })

            let delivered = received.messages.filter { topics.contains($0.topic) }
            #expect(sent.all.count == 14)
            #expect(delivered.map(\.envelope) == sent.all)
            #expect(delivered.map(\.topic) == fixtures.map(\.topic))
            #expect(delivered.map { $0.envelope.correlationID } == (0..<14).map { "intent-\($0)" })
            #expect(delivered.allSatisfy { $0.envelope.publishTimeNs > 0 && $0.receivedAtNs >= $0.envelope.publishTimeNs })

            let sequences = received.messages(from: "alpha").map(\.envelope.sequence)
            #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $1 == $0 + 1 })
            for heartbeat in received.messages.filter({ $0.topic == "hb.alpha" }) {
                guard case .heartbeat(let body) = heartbeat.payload else { continue }
                #expect(body.messagesPublished == heartbeat.envelope.sequence)
            }
            let health = subscriber.health
            #expect(health.sequenceGapsTotal == 0)
            #expect(health.messagesDroppedTotal == 0)
            #expect(publisher.health.messagesPublished >= sent.all.last?.sequence ?? .max)
            await stop(subscriber, publisher)
        }

        @Test(arguments: [true, false])
        func prefixSubscriptionDeliversOnlyMatchingTopics(detectGaps: Bool) async throws {
            let (publisher, subscriber, received) = try startPair(prefixes: ["md.quote."], detectGaps: detectGaps)
            #expect(await BusTestSupport.waitUntil { !received.messages(from: "alpha").isEmpty })

            publisher.submit { context in
                context.publish(topic: BusTopic.executionReport("SIM:X"), payload: PayloadFixtures.executionReport(), eventTimeNs: 1)
                context.publish(topic: BusTopic.quote("SIM:X"), payload: PayloadFixtures.quote(), eventTimeNs: 2)
                context.publish(topic: BusTopic.riskState, payload: PayloadFixtures.all()[8].payload, eventTimeNs: 3)
                context.publish(topic: BusTopic.quote("SIM:Y"), payload: PayloadFixtures.quote(), eventTimeNs: 4)
            }
            #expect(await BusTestSupport.waitUntil { received.messages.contains { $0.topic == "md.quote.SIM:Y" } })

            let topics = received.messages.map(\.topic).filter { $0 != "hb.alpha" }
            #expect(topics == ["md.quote.SIM:X", "md.quote.SIM:Y"])
            let health = subscriber.health
            #expect(health.sequenceGapsTotal == 0)
            #expect(health.messagesFiltered == (detectGaps ? 2 : 0))
            await stop(subscriber, publisher)
        }
    }
}
