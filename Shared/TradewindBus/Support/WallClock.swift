#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bus's only clock: CLOCK_REALTIME in nanoseconds since the Unix epoch. The core never
/// reads a clock; times reach it inside events stamped here.
public enum WallClock {
    /// Current wall-clock time in nanoseconds since the Unix epoch.
    @inline(__always)
    public static func nowNs() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec)
    }
}
