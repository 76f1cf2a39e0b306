import TradewindWire

/// A validated inbound bus message.
public struct BusMessage: Sendable, Equatable {
    public var topic: String
    public var envelope: Tradewind_V1_Envelope
    /// When the loop read it off the socket (CLOCK_REALTIME ns).
    public var receivedAtNs: Int64

    public init(topic: String, envelope: Tradewind_V1_Envelope, receivedAtNs: Int64) {
        self.topic = topic
        self.envelope = envelope
        self.receivedAtNs = receivedAtNs
    }

    /// The envelope's payload; never nil for a message the decoder accepted.
    public var payload: Tradewind_V1_Envelope.OneOf_Payload? { envelope.payload }
}
