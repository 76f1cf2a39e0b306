#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file descriptor the loop thread polls next to its sockets, so work submitted from another
/// thread (a venue's answer, a kill switch from HTTP) runs at once instead of after the poll
/// timeout: a non-blocking pipe. Thread-safe: `signal` may be called
/// from any thread, `drain` only by the loop thread; the descriptors close when the owner releases
/// it, so a late `signal` can never write to a reused descriptor.
final class WakeSignal: Sendable {
    /// Polled for reading.
    let readFd: Int32
    private let writeFd: Int32

    init() throws(BusError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw .loopThreadFailed(service: "bus", reason: "pipe failed: errno \(errno)") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFd = fds[0]
        writeFd = fds[1]
    }

    /// Wakes the poller; never blocks (a full counter or pipe already means "wake").
    func signal() {
        var one: UInt8 = 1
        _ = write(writeFd, &one, 1)
    }

    /// Resets the signal after a wake-up.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while buffer.withUnsafeMutableBytes({ read(readFd, $0.baseAddress, $0.count) }) > 0 {}
    }

    deinit {
        closeDescriptor(readFd)
        closeDescriptor(writeFd)
    }
}

private func closeDescriptor(_ fd: Int32) {
    #if canImport(Glibc)
    _ = Glibc.close(fd)
    #elseif canImport(Darwin)
    _ = Darwin.close(fd)
    #endif
}
