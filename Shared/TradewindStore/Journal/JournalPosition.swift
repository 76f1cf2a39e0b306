/// A byte offset in one journal segment file; positions order records as they were enqueued.
struct JournalPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    var segment: UInt64
    var offset: UInt64

    static func < (lhs: JournalPosition, rhs: JournalPosition) -> Bool {
        (lhs.segment, lhs.offset) < (rhs.segment, rhs.offset)
    }

    var description: String { "\(segment):\(offset)" }
}
