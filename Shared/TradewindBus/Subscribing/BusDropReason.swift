/// Why an inbound message was dropped; the raw value is the `reason` metric label.
public enum BusDropReason: String, Error, CaseIterable, Sendable {
    /// Not exactly two frames `[topic][envelope]`.
    case frameCount = "frame_count"
    case emptyTopic = "empty_topic"
    case topicNotUTF8 = "topic_not_utf8"
    /// The second frame is not a decodable `Envelope`.
    case badProtobuf = "bad_protobuf"
    case missingPayload = "missing_payload"
    case missingPublisher = "missing_publisher"
    /// Sequence 0: publishers number from 1.
    case invalidSequence = "invalid_sequence"
    /// The topic's first segment is not a bus topic family.
    case unknownTopic = "unknown_topic"
    /// The topic is a bus topic, but not the one this payload travels on.
    case topicPayloadMismatch = "topic_payload_mismatch"
}
