import TradewindWire

/// Turns raw frames into a `BusMessage`, or names the rule they break. Pure; never traps.
public enum BusMessageDecoder {
    /// Validates `[topic][envelope]` frames: count, topic text, protobuf, payload and topic family.
    public static func decode(frames: [[UInt8]], frameCount: Int? = nil, receivedAtNs: Int64) throws(BusDropReason) -> BusMessage {
        guard (frameCount ?? frames.count) == 2, frames.count == 2 else { throw .frameCount }
        guard !frames[0].isEmpty else { throw .emptyTopic }
        guard let topic = String(validating: frames[0], as: UTF8.self) else { throw .topicNotUTF8 }
        let envelope: Tradewind_V1_Envelope
        do {
            envelope = try Tradewind_V1_Envelope(serializedBytes: frames[1])
        } catch {
            throw .badProtobuf
        }
        guard let payload = envelope.payload else { throw .missingPayload }
        guard !envelope.publisher.isEmpty else { throw .missingPublisher }
        guard envelope.sequence > 0 else { throw .invalidSequence }
        guard BusTopic.matches(topic: topic, payload: payload) else {
            throw TopicFamily(topic: topic) == nil ? .unknownTopic : .topicPayloadMismatch
        }
        return BusMessage(topic: topic, envelope: envelope, receivedAtNs: receivedAtNs)
    }

    /// Decodes a received multipart message (see `decode(frames:frameCount:receivedAtNs:)`).
    public static func decode(_ multipart: ZMQMultipart, receivedAtNs: Int64) throws(BusDropReason) -> BusMessage {
        try decode(frames: multipart.frames, frameCount: multipart.frameCount, receivedAtNs: receivedAtNs)
    }
}
