import Glibc
import Logging

/// Reads journaled records back, in order, on the writer thread: at start-up (replay after
/// the checkpoint) and whenever the in-memory queue overflowed (catch-up).
final class JournalReader {
    private let journal: WriteBehindJournal
    private let logger: Logger
    private var fd: Int32 = -1
    private var fdSegment: UInt64 = 0
    /// Frames skipped because they were torn or corrupt, and their bytes.
    private(set) var skippedFrames: UInt64 = 0
    private(set) var skippedBytes: UInt64 = 0

    init(journal: WriteBehindJournal, logger: Logger) {
        self.journal = journal
        self.logger = logger
    }

    deinit { closeSegment() }

    /// Up to `maxRecords` entries from `position` up to `limit` (the journal's end when the
    /// caller looked, so every frame before it is whole), and the position after them.
    func read(from position: JournalPosition, limit: JournalPosition, maxRecords: Int) throws(StoreError) -> ([JournalEntry], JournalPosition) {
        var position = journal.normalized(position)
        var entries: [JournalEntry] = []
        while entries.count < maxRecords, position < limit {
            let isLast = position.segment == limit.segment
            guard let segmentEnd = isLast ? limit.offset : journal.sealedEnd(of: position.segment) else {
                logger.error("journal segment missing; skipping it", metadata: ["segment": "\(position.segment)"])
                position = JournalPosition(segment: position.segment + 1, offset: 0)
                continue
            }
            guard position.offset < segmentEnd else {
                position = JournalPosition(segment: position.segment + 1, offset: 0)
                continue
            }
            let path = journal.segmentPath(position.segment)
            guard try openSegment(position.segment) else {
                logger.error("journal segment missing; skipping it", metadata: ["path": "\(path)"])
                position = isLast ? limit : JournalPosition(segment: position.segment + 1, offset: 0)
                continue
            }
            let segment = position.segment
            var decodeFailure: (UInt64, String)?
            var frameStart = position.offset
            let (end, stop) = try SegmentScanner(fd: fd, path: path).scan(from: position.offset, limit: segmentEnd) { payload, frameEnd in
                do throws(RecordCodec.CodecError) {
                    let record = try RecordCodec.decode(payload)
                    entries.append(JournalEntry(record: record, frameBytes: Int(frameEnd - frameStart), end: JournalPosition(segment: segment, offset: frameEnd)))
                } catch {
                    decodeFailure = (frameStart, error.reason)
                    skippedFrames += 1
                    skippedBytes += frameEnd - frameStart
                }
                frameStart = frameEnd
                return entries.count < maxRecords
            }
            if let (offset, reason) = decodeFailure {
                logger.error("journal frame did not decode; skipped", metadata: ["path": "\(path)", "offset": "\(offset)", "reason": "\(reason)"])
            }
            switch stop {
            case .limit, .visitorStopped:
                position = JournalPosition(segment: segment, offset: end)
            case .incomplete, .corrupt:
                skippedFrames += 1
                skippedBytes += segmentEnd - end
                logger.error("journal segment corrupt; skipping the rest of it", metadata: [
                    "path": "\(path)", "offset": "\(end)", "skipped_bytes": "\(segmentEnd - end)", "reason": "\(stop)"])
                position = isLast ? limit : JournalPosition(segment: segment + 1, offset: 0)
            }
        }
        return (entries, journal.normalized(position))
    }

    private func openSegment(_ segment: UInt64) throws(StoreError) -> Bool {
        if fd >= 0, fdSegment == segment { return true }
        closeSegment()
        let path = journal.segmentPath(segment)
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return false }
            throw .journalIO(path: path, operation: "open", reason: SystemError.last)
        }
        fdSegment = segment
        return true
    }

    private func closeSegment() {
        if fd >= 0 { close(fd) }
        fd = -1
    }
}
