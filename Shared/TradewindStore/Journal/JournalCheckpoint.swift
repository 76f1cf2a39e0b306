import Glibc
import Logging

/// The checkpoint file: `[segment u64][offset u64][crc32 u32]`, replaced atomically with
/// rename(2). It may lag the database (a replay then rewrites idempotent rows), never lead it.
enum JournalCheckpoint {
    static let size = 20

    static func write(_ position: JournalPosition, to path: String) throws(StoreError) {
        var writer = ByteWriter()
        writer.u64(position.segment)
        writer.u64(position.offset)
        writer.u32(CRC32.checksum(writer.bytes))
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .journalIO(path: temporary, operation: "open", reason: SystemError.last) }
        let written = writer.bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let writeError = written == size ? nil : SystemError.last
        close(fd)
        if let writeError { throw .journalIO(path: temporary, operation: "write", reason: writeError) }
        guard rename(temporary, path) == 0 else {
            throw .journalIO(path: path, operation: "rename", reason: SystemError.last)
        }
    }

    /// The saved position; nil if there is none or it does not pass its CRC (then the whole
    /// journal is replayed, which is safe because every write is idempotent).
    static func read(from path: String, logger: Logger) -> JournalPosition? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: size + 1)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count == size else {
            logger.warning("journal checkpoint unreadable; replaying the whole journal", metadata: ["path": "\(path)"])
            return nil
        }
        return bytes.withUnsafeBytes { raw -> JournalPosition? in
            var reader = ByteReader(buffer: UnsafeRawBufferPointer(rebasing: raw[0..<size]))
            guard let segment = try? reader.u64(), let offset = try? reader.u64(), let crc = try? reader.u32(),
                  crc == CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<16])) else {
                logger.warning("journal checkpoint fails its CRC; replaying the whole journal", metadata: ["path": "\(path)"])
                return nil
            }
            return JournalPosition(segment: segment, offset: offset)
        }
    }
}
