import TradewindCZlib
import Glibc

/// Reads a text file line by line through one buffer, plain or gzip-compressed alike (zlib's
/// `gzread` passes plain files through), so a `.csv.gz` as Tardis serves it needs no unpacking.
final class ImportLineReader {
    let path: String
    private let file: gzFile
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEnd = false

    init(path: String, displayName: String? = nil, bufferBytes: Int = 1 << 20) throws(ImportError) {
        guard let file = gzopen(path, "rb") else {
            throw .badFile(file: displayName ?? path, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        self.path = displayName ?? path
        self.file = file
        buffer = [UInt8](repeating: 0, count: max(bufferBytes, 16))
    }

    deinit {
        gzclose(file)
    }

    /// The next line without its "\n" (or "\r\n"), or nil after the last one.
    func nextLine() throws(ImportError) -> String? {
        var scanned = 0
        while true {
            if let newline = buffer[(start + scanned)..<end].firstIndex(of: UInt8(ascii: "\n")) {
                defer { start = newline + 1 }
                return line(start, newline)
            }
            scanned = end - start
            if atEnd {
                guard start < end else { return nil }
                defer { start = end }
                return line(start, end)
            }
            try fill()
        }
    }

    private func line(_ from: Int, _ to: Int) -> String {
        var upper = to
        if upper > from, buffer[upper - 1] == UInt8(ascii: "\r") { upper -= 1 }
        return String(decoding: buffer[from..<upper], as: UTF8.self)
    }

    /// Moves the unread bytes to the front (growing the buffer for a line longer than it) and reads more.
    private func fill() throws(ImportError) {
        if start > 0 {
            let unread = end - start
            buffer.withUnsafeMutableBufferPointer { bytes in
                _ = memmove(bytes.baseAddress!, bytes.baseAddress! + start, unread)
            }
            end = unread
            start = 0
        }
        if end == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
        let capacity = buffer.count - end
        let read = buffer.withUnsafeMutableBufferPointer { bytes in
            gzread(file, bytes.baseAddress! + end, UInt32(min(capacity, Int(Int32.max))))
        }
        guard read >= 0 else {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown error"
            throw .badFile(file: path, reason: "cannot read: \(message)")
        }
        if read == 0 { atEnd = true }
        end += Int(read)
    }
}
