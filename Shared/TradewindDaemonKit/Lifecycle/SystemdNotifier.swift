import Glibc
import Synchronization

/// systemd's notify protocol, spoken directly (no libsystemd): one datagram per message to the
/// AF_UNIX socket named by `$NOTIFY_SOCKET` (a leading `@` is the abstract namespace). Without
/// that variable (not under systemd, or `Type=simple`) every call does nothing.
///
/// The watchdog interval comes from `$WATCHDOG_USEC` (ignored when `$WATCHDOG_PID` names another
/// process); `watchdogPing` sends `WATCHDOG=1` at most every half interval, as sd_watchdog_enabled(3)
/// advises. The bus loop calls it on each heartbeat, so a wedged loop stops feeding the watchdog and
/// systemd restarts the daemon, while a busy one keeps feeding it.
public final class SystemdNotifier: Sendable {
    public let socketPath: String?
    /// Half of `$WATCHDOG_USEC`, in ns; nil without a watchdog.
    public let watchdogPingIntervalNs: Int64?
    private let lastPingNs = Atomic<Int64>(Int64.min)

    public init(environment: [String: String], pid: Int32 = getpid()) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        if path != nil, let usec = environment["WATCHDOG_USEC"].flatMap(Int64.init), usec > 0,
            environment["WATCHDOG_PID"].flatMap(Int32.init).map({ $0 == pid }) ?? true {
            watchdogPingIntervalNs = usec * 1_000 / 2
        } else {
            watchdogPingIntervalNs = nil
        }
    }

    public var isActive: Bool { socketPath != nil }

    /// Sends `message` (newline-separated `KEY=value` lines); false when not under systemd or the
    /// send failed.
    @discardableResult
    public func notify(_ message: String) -> Bool {
        guard let socketPath else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(socketPath.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }  // abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            for (index, byte) in path.enumerated() { bytes[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + path.count + (path.first == 0 ? 0 : 1))
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), socketAddress, length) }
            }
        }
        return sent == bytes.count
    }

    /// `WATCHDOG=1`, if a watchdog is on and half its interval has passed since the last ping.
    public func watchdogPing(nowNs: Int64) {
        guard let interval = watchdogPingIntervalNs else { return }
        let last = lastPingNs.load(ordering: .relaxed)
        guard last == Int64.min || nowNs - last >= interval else { return }
        lastPingNs.store(nowNs, ordering: .relaxed)
        notify("WATCHDOG=1")
    }
}
