import CZMQ

/// The calling thread's last libzmq error, as number and `zmq_strerror` text.
struct ZMQErrno: Sendable {
    let code: Int32
    let text: String

    static func current() -> ZMQErrno {
        let code = zmq_errno()
        return ZMQErrno(code: code, text: String(cString: zmq_strerror(code)))
    }

    var reason: String { "\(text) (errno \(code))" }
}
