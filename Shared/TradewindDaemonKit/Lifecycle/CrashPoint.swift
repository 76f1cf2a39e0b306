import Foundation
import Synchronization

/// Fault injection for crash tests: with `TRADEWIND_CRASH_AT=<point>:<n>` in its environment, a
/// daemon kills itself with SIGKILL the n-th time it passes `point`, so a test can crash it at the
/// worst moment (say, between journaling a fill and publishing it) every time instead of by luck.
/// Unset (always, outside tests), passing a point costs one load and one comparison.
public enum CrashPoint {
    private static let armed: (point: String, count: Int)? = parse(ProcessInfo.processInfo.environment["TRADEWIND_CRASH_AT"])
    private static let passes = Mutex<Int>(0)

    /// Marks that the daemon passed `point`; kills the process when the armed count is reached.
    @inline(__always)
    public static func pass(_ point: StaticString) {
        guard let armed, armed.point == "\(point)" else { return }
        let count = passes.withLock { count in
            count += 1
            return count
        }
        if count == armed.count {
            FileHandle.standardError.write(Data("crash point \(point) reached (pass \(count)): SIGKILL\n".utf8))
            // the calling thread stops here and the process dies a moment later, as when a thread is
            // descheduled before a crash: what it handed to other threads (ZeroMQ's I/O thread) gets out
            usleep(200_000)
            kill(getpid(), SIGKILL)
        }
    }

    static func parse(_ value: String?) -> (point: String, count: Int)? {
        guard let value, !value.isEmpty else { return nil }
        let parts = value.split(separator: ":", maxSplits: 1)
        let count = parts.count == 2 ? Int(parts[1]) ?? 1 : 1
        return (String(parts[0]), max(count, 1))
    }
}
