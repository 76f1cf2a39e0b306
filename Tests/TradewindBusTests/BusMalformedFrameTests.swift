import Testing
import TradewindBus
import TradewindWire

extension BusIntegrationTests {
    @Suite struct MalformedFrames {
        @Test func malformedFramesAreDroppedByReasonAndValidOnesStillFlow() async throws {
            let directory = try BusTestSupport.makeSocketDirectory()
            defer { BusTestSupport.removeDirectory(directory) }
            let handler = RecordingHandler()
            let endpoint = BusTestSupport.endpoint(directory, "raw")
            let subscriber = BusLoop(
                configuration: BusTestSupport.configuration(
                    service: "sub", directory: directory,
                    subscriptions: [BusSubscription(endpoint: endpoint, topicPrefixes: [""], upstreamService: "raw")]),
                handler: handler, logger: BusTestSupport.logger)
            try subscriber.start()

            try await BusTestSupport.onDedicatedThread {
                let raw = try RawPublisher(endpoint: endpoint, name: "raw")
                defer { try? raw.close() }
                guard try raw.handshake(until: { !handler.messages(from: "raw").isEmpty }) else { return }
                let next = raw.nextSequence
                let quote = try PayloadFixtures.envelopeBytes(publisher: "raw", sequence: next, payload: PayloadFixtures.quote())
                let report = try PayloadFixtures.envelopeBytes(
                    publisher: "raw", sequence: next, payload: PayloadFixtures.executionReport())
                try raw.sendFrames([Array("md.quote.SIM:X".utf8)])
                try raw.sendFrames([Array("md.quote.SIM:X".utf8), quote, [1, 2, 3]])
                try raw.sendFrames([Array("md.quote.SIM:X".utf8), [0xFF, 0xFF, 0xFF, 0xFF, 0x01]])
                try raw.sendFrames([[0x6D, 0x64, 0x2E, 0xC3, 0x28], quote])
                try raw.sendFrames([Array("md.quote.SIM:X".utf8), report])
                try raw.sendFrames([[], quote])
                try raw.sendFrames([Array("weather.today".utf8), quote])
                try raw.send(topic: "md.quote.SIM:X", payload: PayloadFixtures.quote(), sequence: next)
                try raw.send(topic: "md.quote.SIM:Y", payload: PayloadFixtures.quote())
            }
            #expect(await BusTestSupport.waitUntil { handler.messages.contains { $0.topic == "md.quote.SIM:Y" } })

            let health = subscriber.health
            #expect(health.messagesDropped == [
                .frameCount: 2, .badProtobuf: 1, .topicNotUTF8: 1, .topicPayloadMismatch: 1,
                .emptyTopic: 1, .unknownTopic: 1,
            ])
            #expect(health.sequenceGapsTotal == 0)
            #expect(handler.messages(from: "raw", heartbeats: false).map(\.topic) == ["md.quote.SIM:X", "md.quote.SIM:Y"])
            #expect(await BusTestSupport.stopAndJoin(subscriber))
        }
    }
}
