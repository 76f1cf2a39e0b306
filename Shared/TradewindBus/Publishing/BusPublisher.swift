import TradewindWire

/// Stamps and sends envelopes on a PUB socket: publisher name, a sequence starting at 1 and
/// rising by one per message (heartbeats included), and the publish time. Loop thread only.
public final class BusPublisher {
    public let publisher: String
    /// Messages sent so far; also the sequence number of the last one.
    public private(set) var messagesPublished: UInt64 = 0
    private let socket: ZMQSocket
    private let metrics: BusMetrics

    /// Publishes as `publisher` on `socket`, which must be a bound or connected PUB socket.
    public convenience init(publisher: String, socket: ZMQSocket) {
        self.init(publisher: publisher, socket: socket, metrics: BusMetrics())
    }

    init(publisher: String, socket: ZMQSocket, metrics: BusMetrics) {
        self.publisher = publisher
        self.socket = socket
        self.metrics = metrics
    }

    /// Sends `payload` on `topic` and returns the envelope sent. The topic must belong to the
    /// payload (see `BusTopic`). A sequence number is spent once the message reaches libzmq.
    @discardableResult
    public func publish(
        topic: String,
        payload: Tradewind_V1_Envelope.OneOf_Payload,
        eventTimeNs: Int64,
        correlationId: String = ""
    ) throws(BusError) -> Tradewind_V1_Envelope {
        guard BusTopic.matches(topic: topic, payload: payload) else {
            throw .topicPayloadMismatch(topic: topic, payload: BusTopic.payloadName(payload))
        }
        var envelope = Tradewind_V1_Envelope()
        envelope.publisher = publisher
        envelope.sequence = messagesPublished + 1
        envelope.eventTimeNs = eventTimeNs
        envelope.publishTimeNs = WallClock.nowNs()
        envelope.correlationID = correlationId
        envelope.payload = payload
        let bytes: [UInt8]
        do {
            bytes = try envelope.serializedBytes()
        } catch {
            throw .serialization(topic: topic, reason: "\(error)")
        }
        let family = BusTopic.family(for: payload)
        do {
            try socket.send([Array(topic.utf8), bytes])
        } catch {
            metrics.countSendError(family)
            throw error
        }
        messagesPublished += 1
        metrics.countPublished(family)
        return envelope
    }
}
