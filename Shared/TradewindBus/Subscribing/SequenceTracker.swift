/// Per-publisher sequence bookkeeping for a subscriber. Pure value; the loop feeds it every
/// accepted envelope and acts on what it reports.
public struct SequenceTracker: Sendable, Equatable {
    /// What one sequence number means given what came before from the same publisher.
    public enum Observation: Sendable, Equatable {
        /// First message seen from this publisher: sets the baseline (a late joiner is no gap).
        case baseline(publisher: String, sequence: UInt64)
        case inOrder
        /// `received - expected` messages were lost.
        case gap(publisher: String, expected: UInt64, received: UInt64)
        /// The publisher started numbering again (seq 1, or a new run after a backwards jump).
        case restart(publisher: String, received: UInt64)
        /// Older than expected; counted, and the expectation is kept.
        case duplicate(publisher: String, expected: UInt64, received: UInt64)

        /// Messages lost, for a gap; 0 otherwise.
        public var missing: UInt64 {
            if case .gap(_, let expected, let received) = self { return received - expected }
            return 0
        }
    }

    private struct PublisherState: Sendable, Equatable {
        var expected: UInt64
        /// The last backwards sequence: if the next one continues it, the publisher restarted
        /// and we missed its first messages (ZeroMQ preserves order, so this beats "duplicates").
        var backwardRun: UInt64?
    }

    private var publishers: [String: PublisherState] = [:]

    public init() {}

    /// Records `sequence` from `publisher` and classifies it.
    public mutating func observe(publisher: String, sequence: UInt64) -> Observation {
        guard var state = publishers[publisher] else {
            publishers[publisher] = PublisherState(expected: sequence &+ 1)
            return .baseline(publisher: publisher, sequence: sequence)
        }
        defer { publishers[publisher] = state }
        if sequence == state.expected {
            state = PublisherState(expected: sequence &+ 1)
            return .inOrder
        }
        if sequence == 1 {
            state = PublisherState(expected: 2)
            return .restart(publisher: publisher, received: sequence)
        }
        if sequence > state.expected {
            let expected = state.expected
            state = PublisherState(expected: sequence &+ 1)
            return .gap(publisher: publisher, expected: expected, received: sequence)
        }
        if let run = state.backwardRun, sequence == run &+ 1 {
            state = PublisherState(expected: sequence &+ 1)
            return .restart(publisher: publisher, received: sequence)
        }
        state.backwardRun = sequence
        return .duplicate(publisher: publisher, expected: state.expected, received: sequence)
    }

    /// The next sequence expected from `publisher`, nil before its first message.
    public func expectedSequence(from publisher: String) -> UInt64? {
        publishers[publisher]?.expected
    }

    /// Forgets `publisher`, so its next message sets a new baseline.
    public mutating func reset(publisher: String) {
        publishers[publisher] = nil
    }
}
