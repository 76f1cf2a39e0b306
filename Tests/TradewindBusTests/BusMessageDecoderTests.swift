import Testing
import TradewindBus
import TradewindWire

@Suite struct BusMessageDecoderTests {
    func envelope(_ payload: Tradewind_V1_Envelope.OneOf_Payload?, publisher: String = "md", sequence: UInt64 = 1) throws -> [UInt8] {
        var envelope = Tradewind_V1_Envelope()
        envelope.publisher = publisher
        envelope.sequence = sequence
        envelope.payload = payload
        return try envelope.serializedBytes()
    }

    func reason(_ frames: [[UInt8]]) -> BusDropReason? {
        do {
            _ = try BusMessageDecoder.decode(frames: frames, receivedAtNs: 0)
            return nil
        } catch {
            return error
        }
    }

    @Test func decodesEveryPayloadOnItsTopic() throws {
        for (topic, payload) in PayloadFixtures.all() {
            let message = try BusMessageDecoder.decode(
                frames: [Array(topic.utf8), try envelope(payload)], receivedAtNs: 7)
            #expect(message.topic == topic)
            #expect(message.payload == payload)
            #expect(message.receivedAtNs == 7)
        }
    }

    @Test func rejectsWrongFrameCount() throws {
        #expect(reason([Array("md.quote.X".utf8)]) == .frameCount)
        #expect(reason([Array("md.quote.X".utf8), try envelope(PayloadFixtures.quote()), []]) == .frameCount)
        #expect(throws: BusDropReason.frameCount) {
            try BusMessageDecoder.decode(frames: [[1], [2]], frameCount: 9, receivedAtNs: 0)
        }
    }

    @Test func rejectsEmptyAndNonUTF8Topics() throws {
        let body = try envelope(PayloadFixtures.quote())
        #expect(reason([[], body]) == .emptyTopic)
        #expect(reason([[0x6D, 0x64, 0xFF, 0xFE], body]) == .topicNotUTF8)
    }

    @Test func rejectsUndecodableProtobuf() {
        #expect(reason([Array("md.quote.X".utf8), [0xFF, 0xFF, 0xFF, 0xFF]]) == .badProtobuf)
        #expect(reason([Array("md.quote.X".utf8), [0x0A, 0x05, 0x61]]) == .badProtobuf)
    }

    @Test func rejectsEnvelopesMissingPayloadPublisherOrSequence() throws {
        #expect(reason([Array("md.quote.X".utf8), try envelope(nil)]) == .missingPayload)
        #expect(reason([Array("md.quote.X".utf8), []]) == .missingPayload)
        #expect(reason([Array("md.quote.X".utf8), try envelope(PayloadFixtures.quote(), publisher: "")]) == .missingPublisher)
        #expect(reason([Array("md.quote.X".utf8), try envelope(PayloadFixtures.quote(), sequence: 0)]) == .invalidSequence)
    }

    @Test(arguments: [
        ("md.quote.X", BusDropReason?.none),
        ("md.quote", nil),
        ("exec.report.X", .topicPayloadMismatch),
        ("md.trade.X", .topicPayloadMismatch),
        ("md.quotes.X", .topicPayloadMismatch),
        ("weather.today", .unknownTopic),
    ])
    func checksTopicAgainstPayload(topic: String, expected: BusDropReason?) throws {
        #expect(reason([Array(topic.utf8), try envelope(PayloadFixtures.quote())]) == expected)
    }

    @Test func topicFamilyIsTheFirstSegment() {
        #expect(TopicFamily(topic: "md.quote.SIM:BTCUSDT") == .md)
        #expect(TopicFamily(topic: "pnl.portfolio") == .pnl)
        #expect(TopicFamily(topic: "weather") == nil)
        #expect(BusTopic.family(for: PayloadFixtures.executionReport()) == .exec)
    }
}
