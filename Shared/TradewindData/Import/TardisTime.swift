/// Which of a Tardis row's times becomes the stream time: the exchange's `timestamp` or the
/// collector's arrival time, `local_timestamp` (both µs since the epoch).
public enum TardisTime: String, Sendable, Hashable, CaseIterable {
    case exchange
    case local
}
