#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif
import Synchronization

/// Where JSON log lines go: standard output by default, or a closure (tests). Writes hold a lock,
/// so lines from different threads never interleave.
public final class LogSink: Sendable {
    private let lock = Mutex<Void>(())
    private let writeLine: @Sendable (String) -> Void

    /// A sink handing each complete line (with its trailing newline) to `writeLine`, one at a time.
    public init(_ writeLine: @escaping @Sendable (String) -> Void) {
        self.writeLine = writeLine
    }

    /// Unbuffered standard output (file descriptor 1).
    public static let standardOutput = LogSink { line in LogSink.writeAll(line, to: 1) }

    /// Writes one line; `line` must end with a newline.
    public func write(_ line: String) {
        lock.withLock { _ in writeLine(line) }
    }

    private static func writeAll(_ line: String, to descriptor: Int32) {
        var line = line
        line.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
