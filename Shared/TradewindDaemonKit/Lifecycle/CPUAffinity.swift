import Glibc
import TradewindCSys

/// Pins the process (every thread it starts afterwards) to CPUs with sched_setaffinity(2).
public enum CPUAffinity {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func pin(to cpus: [Int]) throws(Failure) {
        guard !cpus.isEmpty else { return }
        let values = cpus.map { Int32(clamping: $0) }
        guard tradewind_set_affinity(values, values.count) == 0 else {
            throw Failure(description: "sched_setaffinity(\(cpus)): \(String(cString: strerror(errno)))")
        }
    }

    /// The CPUs the process may run on.
    public static func current() -> [Int] {
        var cpus = [Int32](repeating: 0, count: 1024)
        let count = tradewind_get_affinity(&cpus, cpus.count)
        return count < 0 ? [] : cpus.prefix(Int(count)).map(Int.init)
    }
}
