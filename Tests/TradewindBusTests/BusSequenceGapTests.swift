import Testing
import TradewindBus
import TradewindWire

extension BusIntegrationTests {
    /// A raw publisher scripts sequence numbers; a real BusLoop subscriber must notice.
    @Suite struct SequenceGaps {
        let directory: String
        let handler: RecordingHandler
        let subscriber: BusLoop

        init() throws {
            try self.init(recovery: .notNeeded)
        }

        init(recovery: GapRecovery) throws {
            handler = RecordingHandler(recovery: recovery)
            directory = try BusTestSupport.makeSocketDirectory()
            let subscription = BusSubscription(
                endpoint: BusTestSupport.endpoint(directory, "raw"), topicPrefixes: ["md."], upstreamService: "raw")
            subscriber = BusLoop(
                configuration: BusTestSupport.configuration(service: "sub", directory: directory, subscriptions: [subscription]),
                handler: handler, logger: BusTestSupport.logger)
        }

        /// Runs `script` against a raw publisher once the subscriber has heard it.
        func withRawPublisher(_ script: @escaping @Sendable (RawPublisher) throws -> Void) async throws {
            let endpoint = BusTestSupport.endpoint(directory, "raw")
            let handler = handler
            try await BusTestSupport.onDedicatedThread {
                let raw = try RawPublisher(endpoint: endpoint, name: "raw")
                defer { try? raw.close() }
                guard try raw.handshake(until: { !handler.messages(from: "raw").isEmpty }) else { return }
                try script(raw)
            }
        }

        @Test func forcedGapIsCountedAndReportedToHandler() async throws {
            try subscriber.start()
            try await withRawPublisher { raw in
                let next = raw.nextSequence
                try raw.send(topic: "md.quote.SIM:X", payload: PayloadFixtures.quote(), sequence: next)
                try raw.send(topic: "md.quote.SIM:X", payload: PayloadFixtures.quote(), sequence: next + 1)
                try raw.send(topic: "md.quote.SIM:X", payload: PayloadFixtures.quote(bid: 1), sequence: next + 4)
            }
            // the gap is reported before the message that revealed it is handed over
            #expect(await BusTestSupport.waitUntil { !handler.snapshot.gaps.isEmpty })
            #expect(await BusTestSupport.waitUntil { handler.messages(from: "raw", heartbeats: false).count == 3 })

            let gaps = handler.snapshot.gaps
            #expect(gaps.map(\.publisher) == ["raw"])
            #expect(gaps.map(\.missing) == [2])
            let health = subscriber.health
            #expect(health.sequenceGapsTotal == 2)
            #expect(health.sequenceGapsByPublisher == ["raw": 2])
            #expect(handler.messages(from: "raw", heartbeats: false).count == 3)
            #expect(await BusTestSupport.stopAndJoin(subscriber))
            BusTestSupport.removeDirectory(directory)
        }

        @Test func publisherRestartIsReportedNotCountedAsGap() async throws {
            try subscriber.start()
            try await withRawPublisher { raw in
                try raw.send(topic: "md.quote.SIM:X", payload: PayloadFixtures.quote())
                try raw.send(topic: "md.quote.SIM:X", payload: PayloadFixtures.quote(), sequence: 1)
                try raw.send(topic: "md.quote.SIM:X", payload: PayloadFixtures.quote(bid: 1))
            }
            #expect(await BusTestSupport.waitUntil { handler.messages(from: "raw", heartbeats: false).count == 3 })

            #expect(handler.snapshot.restarts == ["raw"])
            #expect(handler.snapshot.gaps.isEmpty)
            #expect(subscriber.health.publisherRestarts == ["raw": 1])
            #expect(subscriber.health.sequenceGapsTotal == 0)
            #expect(await BusTestSupport.stopAndJoin(subscriber))
            BusTestSupport.removeDirectory(directory)
        }

        @Test func gapBeingResyncedShowsInHealthUntilTheHostFinishes() async throws {
            let resyncing = try SequenceGaps(recovery: .resyncing)
            try resyncing.subscriber.start()
            try await resyncing.withRawPublisher { raw in
                let next = raw.nextSequence
                try raw.send(topic: "md.quote.SIM:X", payload: PayloadFixtures.quote(), sequence: next + 3)
            }
            #expect(await BusTestSupport.waitUntil { resyncing.subscriber.health.resyncing["raw"] != nil })
            #expect(resyncing.handler.snapshot.gaps.map(\.missing) == [3])
            resyncing.subscriber.submit { context in context.resyncFinished(from: "raw") }
            #expect(await BusTestSupport.waitUntil { resyncing.subscriber.health.resyncing.isEmpty })
            #expect(await BusTestSupport.stopAndJoin(resyncing.subscriber))
            BusTestSupport.removeDirectory(resyncing.directory)
            BusTestSupport.removeDirectory(directory)
        }
    }
}
