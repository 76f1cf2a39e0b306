import Foundation
import Synchronization
import TradewindBus
import TradewindWire

/// A handler that records every callback; the loop calls it on its thread, tests read it from theirs.
final class RecordingHandler: BusHandler, Sendable {
    struct Record: Sendable {
        var messages: [BusMessage] = []
        var gaps: [(publisher: String, missing: UInt64)] = []
        var restarts: [String] = []
        var staleness: [(service: String, stale: Bool)] = []
        var ticks: [Int64] = []
        var tickThreads: [ObjectIdentifier] = []
        var started = false
    }

    private let record = Mutex(Record())
    /// What the handler answers to a gap or a restart.
    let recovery: GapRecovery

    init(recovery: GapRecovery = .notNeeded) {
        self.recovery = recovery
    }

    var snapshot: Record { record.withLock { $0 } }
    var messages: [BusMessage] { record.withLock { $0.messages } }

    /// Messages from `publisher`, optionally only heartbeats or only non-heartbeats.
    func messages(from publisher: String, heartbeats: Bool? = nil) -> [BusMessage] {
        messages.filter { message in
            guard message.envelope.publisher == publisher else { return false }
            guard let heartbeats else { return true }
            if case .heartbeat = message.payload { return heartbeats }
            return !heartbeats
        }
    }

    func started(context: BusLoopContext) {
        record.withLock { $0.started = true }
    }

    func handle(_ message: BusMessage, context: BusLoopContext) {
        record.withLock { $0.messages.append(message) }
    }

    func tick(nowNs: Int64, context: BusLoopContext) {
        let thread = ObjectIdentifier(Thread.current)
        record.withLock {
            $0.ticks.append(nowNs)
            $0.tickThreads.append(thread)
        }
    }

    func sequenceGap(publisher: String, missing: UInt64, context: BusLoopContext) -> GapRecovery {
        record.withLock { $0.gaps.append((publisher, missing)) }
        return recovery
    }

    func publisherRestarted(publisher: String, context: BusLoopContext) -> GapRecovery {
        record.withLock { $0.restarts.append(publisher) }
        return recovery
    }

    func upstreamStalenessChanged(service: String, stale: Bool, context: BusLoopContext) {
        record.withLock { $0.staleness.append((service, stale)) }
    }
}
