import Foundation
import Glibc
import Logging

/// The append-only journal behind a write-behind writer: numbered segment files
/// (`segment-<n>.wal`) of CRC-framed records, a `checkpoint` file naming the position up to
/// which everything is committed, and a `lock` file held with flock so one process owns it.
/// `append` may run on any thread but callers serialise it (under the writer's lock) with
/// `rotate`; every other method runs on the writer thread.
final class WriteBehindJournal {
    /// What `open` found after the checkpoint.
    struct Recovery: Sendable {
        var pendingRecords: UInt64 = 0
        var pendingBytes: UInt64 = 0
        /// Bytes after the last whole, valid frame of a segment (torn tails, corruption).
        var tornBytes: UInt64 = 0
        var tornSegments: [UInt64] = []
    }

    let directory: String
    private(set) var end: JournalPosition
    private(set) var checkpoint: JournalPosition
    private var appendFD: Int32
    private var lockFD: Int32
    /// Valid length of each segment no longer appended to.
    private var sealedEnds: [UInt64: UInt64] = [:]
    private var oldestSegment: UInt64

    private init(directory: String, lockFD: Int32, appendFD: Int32, end: JournalPosition, checkpoint: JournalPosition, oldest: UInt64) {
        self.directory = directory
        self.lockFD = lockFD
        self.appendFD = appendFD
        self.end = end
        self.checkpoint = checkpoint
        self.oldestSegment = oldest
    }

    deinit { close() }

    func segmentPath(_ segment: UInt64) -> String {
        let digits = String(segment)
        return "\(directory)/segment-\(String(repeating: "0", count: max(0, 20 - digits.count)))\(digits).wal"
    }

    var checkpointPath: String { "\(directory)/checkpoint" }

    /// Appends one sealed frame with write(2) (no fsync) and returns the position after it.
    /// A failed or short write is cut back off the file, so a later append stays readable.
    func append(_ frame: [UInt8]) throws(StoreError) -> JournalPosition {
        var written = 0
        while written < frame.count {
            let result = frame.withUnsafeBytes { write(appendFD, $0.baseAddress! + written, frame.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = SystemError.last
                _ = ftruncate(appendFD, off_t(end.offset))
                throw .journalIO(path: segmentPath(end.segment), operation: "append", reason: reason)
            }
            written += result
        }
        end.offset += UInt64(frame.count)
        return end
    }

    /// Flushes appended data to the device (fdatasync): the power-loss guarantee, in groups.
    func sync() throws(StoreError) {
        guard fdatasync(appendFD) == 0 else {
            throw .journalIO(path: segmentPath(end.segment), operation: "fdatasync", reason: SystemError.last)
        }
    }

    /// Starts the next segment; returns the previous segment's descriptor, which the caller
    /// syncs and closes outside its lock. Call serialised with `append`.
    func rotate() throws(StoreError) -> Int32 {
        let next = end.segment + 1
        let fd = try Self.openSegment(segmentPath(next))
        let previous = appendFD
        sealedEnds[end.segment] = end.offset
        appendFD = fd
        end = JournalPosition(segment: next, offset: 0)
        return previous
    }

    /// Syncs and closes a descriptor `rotate` returned, and syncs the directory entry.
    func retire(_ fd: Int32) {
        _ = fdatasync(fd)
        Glibc.close(fd)
        Self.syncDirectory(directory)
    }

    /// The valid length of a sealed segment, nil for the segment still appended to.
    func sealedEnd(of segment: UInt64) -> UInt64? { sealedEnds[segment] }

    /// `position`, moved to the start of the next segment if it is at the end of a sealed one.
    func normalized(_ position: JournalPosition) -> JournalPosition {
        var position = position
        while let sealed = sealedEnds[position.segment], position.offset >= sealed {
            position = JournalPosition(segment: position.segment + 1, offset: 0)
        }
        return position
    }

    /// Records that everything before `position` is committed (written to a temporary file
    /// and renamed over `checkpoint`), then deletes segments wholly before it.
    func saveCheckpoint(_ position: JournalPosition) throws(StoreError) {
        let position = normalized(position)
        guard position != checkpoint else { return }
        try JournalCheckpoint.write(position, to: checkpointPath)
        checkpoint = position
        while oldestSegment < position.segment {
            unlink(segmentPath(oldestSegment))
            sealedEnds[oldestSegment] = nil
            oldestSegment += 1
        }
    }

    /// Closes the segment and releases the directory lock. Idempotent.
    func close() {
        if appendFD >= 0 { Glibc.close(appendFD) }
        if lockFD >= 0 { Glibc.close(lockFD) }
        appendFD = -1
        lockFD = -1
    }

    /// Opens (creating if needed) and locks `directory`, reads the checkpoint, validates every
    /// frame after it, and makes sure appends start after the last valid frame.
    static func open(directory: String, logger: Logger) throws(StoreError) -> (WriteBehindJournal, Recovery) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .journalIO(path: directory, operation: "mkdir", reason: "\(error)")
        }
        let lockFD = try lock(directory)
        do {
            return try recover(directory: directory, lockFD: lockFD, logger: logger)
        } catch {
            Glibc.close(lockFD)
            throw error
        }
    }

    private static func recover(directory: String, lockFD: Int32, logger: Logger) throws(StoreError) -> (WriteBehindJournal, Recovery) {
        let segments = try listSegments(directory)
        let saved = JournalCheckpoint.read(from: "\(directory)/checkpoint", logger: logger)
        let first = segments.first ?? max(1, (saved?.segment ?? 0) + 1)
        var checkpoint = saved ?? JournalPosition(segment: first, offset: 0)
        if checkpoint.segment < first { checkpoint = JournalPosition(segment: first, offset: 0) }
        for stale in segments where stale < checkpoint.segment { unlink(pathFor(directory, stale)) }

        var recovery = Recovery()
        var sealed: [UInt64: UInt64] = [:]
        var last: JournalPosition?
        for segment in segments where segment >= checkpoint.segment {
            let path = pathFor(directory, segment)
            let (validEnd, size, records, bytes) = try validate(path, from: segment == checkpoint.segment ? checkpoint.offset : 0)
            recovery.pendingRecords += records
            recovery.pendingBytes += bytes
            if size > validEnd {
                recovery.tornBytes += size - validEnd
                recovery.tornSegments.append(segment)
                logger.warning("journal segment has a torn or corrupt tail; ignoring it", metadata: [
                    "path": "\(path)", "valid_bytes": "\(validEnd)", "ignored_bytes": "\(size - validEnd)"])
            }
            sealed[segment] = validEnd
            // Appends continue in the last segment only if it ends exactly after a valid frame
            // (no torn tail, and not shorter than the checkpoint after a power loss).
            last = size == validEnd ? JournalPosition(segment: segment, offset: validEnd) : nil
        }
        let end: JournalPosition
        if let last, last.segment == segments.last {
            end = last
            sealed[last.segment] = nil
        } else if let lastSegment = segments.last, lastSegment >= checkpoint.segment {
            end = JournalPosition(segment: lastSegment + 1, offset: 0)
        } else {
            end = JournalPosition(segment: checkpoint.segment + (checkpoint.offset > 0 ? 1 : 0), offset: 0)
            checkpoint = end
        }
        let fd = try openSegment(pathFor(directory, end.segment))
        syncDirectory(directory)
        let journal = WriteBehindJournal(
            directory: directory, lockFD: lockFD, appendFD: fd, end: end,
            checkpoint: checkpoint, oldest: checkpoint.segment)
        journal.sealedEnds = sealed
        return (journal, recovery)
    }

    /// Returns (valid end, file size, records, bytes) of a segment from `start`.
    private static func validate(_ path: String, from start: UInt64) throws(StoreError) -> (UInt64, UInt64, UInt64, UInt64) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .journalIO(path: path, operation: "open", reason: SystemError.last) }
        defer { Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .journalIO(path: path, operation: "fstat", reason: SystemError.last) }
        let size = UInt64(info.st_size)
        guard start < size else { return (start, size, 0, 0) }
        var records: UInt64 = 0
        let (validEnd, _) = try SegmentScanner(fd: fd, path: path).scan(from: start, limit: size) { _, _ in
            records += 1
            return true
        }
        return (validEnd, size, records, validEnd - start)
    }

    /// Takes the directory's lock. A lock just released can look held for a moment: a process this
    /// one is spawning holds a copy of every descriptor between its fork and its exec (O_CLOEXEC
    /// closes them only at the exec), so a busy lock is retried for up to a second before it
    /// counts as another live writer's.
    private static func lock(_ directory: String) throws(StoreError) -> Int32 {
        let path = "\(directory)/lock"
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .journalIO(path: path, operation: "open", reason: SystemError.last) }
        var attempts = 0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            attempts += 1
            if code == EWOULDBLOCK, attempts < lockAttempts {
                usleep(20_000)
                continue
            }
            Glibc.close(fd)
            if code == EWOULDBLOCK { throw .journalLocked(path: directory) }
            throw .journalIO(path: path, operation: "flock", reason: SystemError.describe(code))
        }
        return fd
    }

    /// 50 × 20 ms.
    private static let lockAttempts = 50

    private static func listSegments(_ directory: String) throws(StoreError) -> [UInt64] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .journalIO(path: directory, operation: "list", reason: "\(error)")
        }
        return names.compactMap { name -> UInt64? in
            guard name.hasPrefix("segment-"), name.hasSuffix(".wal") else { return nil }
            return UInt64(name.dropFirst("segment-".count).dropLast(".wal".count))
        }.sorted()
    }

    private static func pathFor(_ directory: String, _ segment: UInt64) -> String {
        let digits = String(segment)
        return "\(directory)/segment-\(String(repeating: "0", count: max(0, 20 - digits.count)))\(digits).wal"
    }

    private static func openSegment(_ path: String) throws(StoreError) -> Int32 {
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .journalIO(path: path, operation: "open", reason: SystemError.last) }
        return fd
    }

    static func syncDirectory(_ directory: String) {
        let fd = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        Glibc.close(fd)
    }
}
