import CZMQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A libzmq PUB or SUB socket. Not thread-safe and deliberately not `Sendable`: create it,
/// use it and close it on one thread.
public final class ZMQSocket {
    /// The socket patterns the bus uses.
    public enum Kind: Sendable, CustomStringConvertible {
        case publisher
        case subscriber

        var raw: Int32 {
            switch self {
            case .publisher: ZMQ_PUB
            case .subscriber: ZMQ_SUB
            }
        }

        public var description: String {
            switch self {
            case .publisher: "PUB"
            case .subscriber: "SUB"
            }
        }
    }

    public let kind: Kind
    /// The endpoint last bound or connected, for error messages and health.
    public private(set) var endpoint: String = "(unbound)"
    private var handle: UnsafeMutableRawPointer?
    /// Kept alive so the context's deinit (which terminates it) can only run after this closes.
    private let context: ZMQContext

    /// Creates a socket with LINGER 0, so closing never waits for unsent messages.
    public init(context: ZMQContext, kind: Kind) throws(BusError) {
        guard let handle = zmq_socket(context.handle, kind.raw) else {
            throw .socketCreation(kind: kind.description, reason: ZMQErrno.current().reason)
        }
        self.kind = kind
        self.handle = handle
        self.context = context
        try setOption(ZMQ_LINGER, name: "ZMQ_LINGER", value: Int32(0))
        // a subscriber that connected before its publisher bound (or restarted) retries every 10 ms
        // instead of libzmq's 100 ms, narrowing the window in which a fresh publisher's first
        // messages find nobody connected; backing off to at most 100 ms while it stays away, so a
        // restarted publisher is reached again within 100 ms
        try setOption(ZMQ_RECONNECT_IVL, name: "ZMQ_RECONNECT_IVL", value: Int32(10))
        try setOption(ZMQ_RECONNECT_IVL_MAX, name: "ZMQ_RECONNECT_IVL_MAX", value: Int32(100))
    }

    deinit { close() }

    /// Whether `close()` has run.
    public var isClosed: Bool { handle == nil }

    /// The raw handle, for `zmq_poll`; nil once closed.
    var rawHandle: UnsafeMutableRawPointer? { handle }

    /// Caps queued outgoing messages per peer; beyond it a PUB socket drops.
    public func setSendHighWaterMark(_ messages: Int32) throws(BusError) {
        try setOption(ZMQ_SNDHWM, name: "ZMQ_SNDHWM", value: messages)
    }

    /// Caps queued incoming messages; beyond it the publisher drops for this subscriber.
    public func setReceiveHighWaterMark(_ messages: Int32) throws(BusError) {
        try setOption(ZMQ_RCVHWM, name: "ZMQ_RCVHWM", value: messages)
    }

    /// Largest inbound message libzmq accepts; a peer sending more is disconnected.
    public func setMaxMessageSize(_ bytes: Int64) throws(BusError) {
        try setOption(ZMQ_MAXMSGSIZE, name: "ZMQ_MAXMSGSIZE", value: bytes)
    }

    /// Subscribes a SUB socket to topics starting with `prefix` ("" means every topic).
    public func subscribe(prefix: String) throws(BusError) {
        let socket = try openHandle()
        let bytes = Array(prefix.utf8)
        let rc = bytes.withUnsafeBytes { zmq_setsockopt(socket, ZMQ_SUBSCRIBE, $0.baseAddress, $0.count) }
        if rc != 0 {
            throw .socketOption(option: "ZMQ_SUBSCRIBE", value: prefix, reason: ZMQErrno.current().reason)
        }
    }

    /// Binds to `endpoint`; for `ipc://` first creates the directory and clears a stale socket file.
    public func bind(_ endpoint: String) throws(BusError) {
        let socket = try openHandle()
        if let path = IPCEndpoint.path(of: endpoint) {
            try IPCEndpoint.prepareForBind(path: path, endpoint: endpoint)
        }
        if zmq_bind(socket, endpoint) != 0 {
            throw .bind(endpoint: endpoint, reason: ZMQErrno.current().reason)
        }
        self.endpoint = endpoint
    }

    /// Connects to `endpoint`; libzmq connects in the background and reconnects on loss.
    public func connect(_ endpoint: String) throws(BusError) {
        let socket = try openHandle()
        if zmq_connect(socket, endpoint) != 0 {
            throw .connect(endpoint: endpoint, reason: ZMQErrno.current().reason)
        }
        self.endpoint = endpoint
    }

    /// Sends `frames` as one multipart message without blocking; on a PUB socket a message over
    /// the high-water mark is dropped by libzmq, as PUB/SUB intends.
    public func send(_ frames: [[UInt8]]) throws(BusError) {
        let socket = try openHandle()
        for (index, frame) in frames.enumerated() {
            let flags = ZMQ_DONTWAIT | (index < frames.count - 1 ? ZMQ_SNDMORE : 0)
            while true {
                let rc = frame.withUnsafeBytes { zmq_send(socket, $0.baseAddress, $0.count, flags) }
                if rc >= 0 { break }
                let error = ZMQErrno.current()
                if error.code == EINTR { continue }
                throw .send(endpoint: endpoint, topic: Self.topicText(frames.first), reason: error.reason)
            }
        }
    }

    /// Receives one multipart message if one is waiting, else nil. At most `maxFrames` frames
    /// are kept; the rest are read and discarded but still counted in `frameCount`.
    public func receive(maxFrames: Int = 8) throws(BusError) -> ZMQMultipart? {
        let socket = try openHandle()
        var result = ZMQMultipart(frames: [], frameCount: 0)
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        var more = true
        while more {
            while zmq_msg_recv(&message, socket, ZMQ_DONTWAIT) < 0 {
                let error = ZMQErrno.current()
                if error.code == EINTR { continue }
                if error.code == EAGAIN && result.frameCount == 0 { return nil }
                throw .receive(endpoint: endpoint, reason: error.reason)
            }
            result.frameCount += 1
            if result.frames.count < maxFrames {
                let size = zmq_msg_size(&message)
                if size == 0 {
                    result.frames.append([])
                } else {
                    let data = UnsafeRawBufferPointer(start: zmq_msg_data(&message), count: size)
                    result.frames.append(Array(data))
                }
            }
            more = zmq_msg_more(&message) != 0
        }
        return result
    }

    /// Closes the socket; idempotent. With LINGER 0 pending messages are discarded.
    public func close() {
        if let handle {
            zmq_close(handle)
            self.handle = nil
        }
    }

    private func openHandle() throws(BusError) -> UnsafeMutableRawPointer {
        guard let handle else { throw .socketClosed(endpoint: endpoint) }
        return handle
    }

    private func setOption<Value: BinaryInteger>(_ option: Int32, name: String, value: Value) throws(BusError) {
        let socket = try openHandle()
        var copy = value
        let rc = withUnsafeBytes(of: &copy) { zmq_setsockopt(socket, option, $0.baseAddress, $0.count) }
        if rc != 0 {
            throw .socketOption(option: name, value: "\(value)", reason: ZMQErrno.current().reason)
        }
    }

    private static func topicText(_ frame: [UInt8]?) -> String {
        guard let frame else { return "" }
        return String(decoding: frame, as: UTF8.self)
    }
}
