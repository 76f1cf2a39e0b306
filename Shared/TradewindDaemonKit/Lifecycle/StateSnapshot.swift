import Synchronization

/// The latest value published by one thread (the daemon loop) for others to read (HTTP handlers,
/// readiness checks); a `Mutex`-protected slot, so reads never see a torn value.
public final class StateSnapshot<Value: Sendable>: Sendable {
    private let slot: Mutex<Value>

    /// A snapshot holding `initial` until the first publish.
    public init(_ initial: Value) {
        slot = Mutex(initial)
    }

    /// Replaces the current value.
    public func publish(_ value: Value) {
        slot.withLock { $0 = value }
    }

    /// Changes the current value in place.
    public func update(_ body: (inout Value) -> Void) {
        slot.withLock { body(&$0) }
    }

    /// The current value.
    public func read() -> Value {
        slot.withLock { $0 }
    }
}
