import CZMQ
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A libzmq context: owns the I/O threads behind every socket created from it.
///
/// libzmq contexts are thread-safe, hence `@unchecked Sendable`; sockets are not (see `ZMQSocket`).
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    private let terminated = Atomic<Bool>(false)

    /// Creates a context with libzmq's defaults (one I/O thread).
    public init() throws(BusError) {
        guard let handle = zmq_ctx_new() else {
            throw .contextCreation(reason: ZMQErrno.current().reason)
        }
        self.handle = handle
    }

    /// Terminates the context. Blocks until every socket created from it is closed, so close
    /// them first (with LINGER 0 it then returns at once). Idempotent.
    public func terminate() throws(BusError) {
        guard !terminated.load(ordering: .acquiring) else { return }
        while zmq_ctx_term(handle) != 0 {
            let error = ZMQErrno.current()
            if error.code == EINTR { continue }
            throw .contextTermination(reason: error.reason)
        }
        terminated.store(true, ordering: .releasing)
    }

    deinit {
        if !terminated.load(ordering: .acquiring) {
            while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
        }
    }
}
