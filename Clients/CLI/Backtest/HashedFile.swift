import Crypto
import Foundation

/// A text file written through a buffer, hashed (SHA-256) as it is written, so a run's output hash
/// costs no second read.
final class HashedFile {
    let name: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var hasher = SHA256()

    init(directory: URL, name: String) throws {
        self.name = name
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CLIError("cannot create \(url.path)")
        }
        handle = try FileHandle(forWritingTo: url)
        buffer.reserveCapacity(Self.flushBytes)
    }

    static let flushBytes = 1 << 20

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushBytes { flush() }
    }

    /// A CSV row (no field of ours ever holds a comma, quote or newline).
    func row(_ fields: [String]) {
        write(fields.joined(separator: ","))
        write("\n")
    }

    private func flush() {
        guard !buffer.isEmpty else { return }
        hasher.update(data: buffer)
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered, closes the file and returns its SHA-256 (hex).
    func finish() throws -> String {
        flush()
        try handle.close()
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
