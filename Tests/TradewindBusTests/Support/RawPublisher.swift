import Foundation
import TradewindBus
import TradewindWire

/// A bare PUB socket that sends whatever frames a test scripts, including malformed ones.
/// Create, use and close it on one thread (see `BusTestSupport.onDedicatedThread`).
final class RawPublisher {
    let name: String
    private let context: ZMQContext
    private let socket: ZMQSocket
    private(set) var nextSequence: UInt64 = 1

    /// Binds `endpoint`, or connects to it (`connect: true`, e.g. to a daemon's ingress).
    init(endpoint: String, name: String, connect: Bool = false) throws {
        self.name = name
        context = try ZMQContext()
        socket = try ZMQSocket(context: context, kind: .publisher)
        if connect {
            try socket.connect(endpoint)
        } else {
            try socket.bind(endpoint)
        }
    }

    /// Sends heartbeats (using up sequence numbers) until `connected()` says one arrived.
    func handshake(timeout: TimeInterval = 5, until connected: () -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            try send(topic: "hb.\(name)", payload: PayloadFixtures.heartbeat(service: name))
            Thread.sleep(forTimeInterval: 0.01)
            if connected() { return true }
        }
        return false
    }

    /// Sends a well-formed envelope with the next sequence number (or `sequence`).
    func send(topic: String, payload: Tradewind_V1_Envelope.OneOf_Payload, sequence: UInt64? = nil) throws {
        let sequence = sequence ?? nextSequence
        nextSequence = sequence + 1
        let bytes = try PayloadFixtures.envelopeBytes(publisher: name, sequence: sequence, payload: payload)
        try socket.send([Array(topic.utf8), bytes])
    }

    func sendFrames(_ frames: [[UInt8]]) throws {
        try socket.send(frames)
    }

    func close() throws {
        socket.close()
        try context.terminate()
    }
}
