import Foundation
import Glibc

/// `rejected.jsonl` in the journal directory: records the database refused for their content,
/// one JSON line each with the error, so skipping them loses nothing an operator cannot replay.
struct DeadLetterFile {
    let path: String

    init(directory: String) {
        path = "\(directory)/rejected.jsonl"
    }

    private struct Line: Encodable {
        var error: String
        var record: PersistedRecord
    }

    func append(_ record: PersistedRecord, error: StoreError) throws(StoreError) {
        var bytes: [UInt8]
        do {
            bytes = Array(try JSONEncoder().encode(Line(error: error.description, record: record)))
        } catch {
            throw .journalIO(path: path, operation: "encode", reason: "\(error)")
        }
        bytes.append(UInt8(ascii: "\n"))
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .journalIO(path: path, operation: "open", reason: SystemError.last) }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            throw .journalIO(path: path, operation: "write", reason: SystemError.last)
        }
    }
}
