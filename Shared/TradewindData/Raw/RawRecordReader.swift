import TradewindCZlib
import Foundation

/// Reads raw segments written by `RawRecordWriter`, in the order given, streaming (one 64 KiB
/// window of compressed input at a time). A segment whose gzip stream was cut short (a crash before
/// the writer closed it) yields every complete record it holds and then ends; a malformed record
/// header is an error naming the file and the record's offset in the uncompressed stream.
public struct RawRecordReader: Sequence {
    public let paths: [String]

    public init(paths: [String]) {
        self.paths = paths
    }

    /// The `.raw.gz` files under `directory` (recursively), in name order: day folders, then
    /// segments named by their first receive time.
    public static func segments(under directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".raw.gz") { found.append(directory + "/" + relative) }
        }
        return found.sorted()
    }

    public func makeIterator() -> Iterator { Iterator(paths: paths) }

    public struct Iterator: IteratorProtocol {
        private var paths: ArraySlice<String>
        private var current: Decompressor?
        private var buffer: [UInt8] = []
        private var position = 0
        private var consumed = 0
        /// The first error met; iteration ends there.
        public private(set) var error: DatasetError?

        init(paths: [String]) { self.paths = paths[...] }

        public mutating func next() -> RawRecord? {
            while true {
                if let record = parse() { return record }
                if error != nil { return nil }
                if let decompressor = current, let more = decompressor.read() {
                    compact()
                    buffer.append(contentsOf: more)
                    continue
                }
                if let failure = current?.failure { error = failure; return nil }
                // the segment ended (a partial record at its end is the crash's unflushed tail)
                guard let path = paths.popFirst() else { return nil }
                do { current = try Decompressor(path: path) } catch { self.error = error; return nil }
                buffer.removeAll(keepingCapacity: true)
                position = 0
                consumed = 0
            }
        }

        private mutating func compact() {
            guard position > 0 else { return }
            buffer.removeFirst(position)
            consumed += position
            position = 0
        }

        /// The next complete record in the buffer, or nil if it needs more bytes.
        private mutating func parse() -> RawRecord? {
            guard let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            let fields = buffer[position..<newline].split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            guard fields.count == 4, let time = Int64(String(decoding: fields[0], as: UTF8.self)),
                let kind = RawRecord.Kind(rawValue: String(decoding: fields[1], as: UTF8.self)),
                let length = Int(String(decoding: fields[3], as: UTF8.self)), length >= 0
            else {
                error = .malformedGroup(
                    file: current?.path ?? "", offset: Int64(consumed + position), reason: "not a raw record header")
                return nil
            }
            let start = newline + 1
            guard buffer.count >= start + length + 1 else { return nil }
            let record = RawRecord(
                receivedNs: time, kind: kind, tag: String(decoding: fields[2], as: UTF8.self),
                payload: Array(buffer[start..<(start + length)]))
            position = start + length + 1
            return record
        }
    }
}

/// One gzip file, inflated a window at a time.
private final class Decompressor {
    let path: String
    private let file: FileHandle
    private var stream = z_stream()
    /// Compressed input; `stream.next_in` points into it between calls.
    private let input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 16)
    private var finished = false
    private(set) var failure: DatasetError?

    init(path: String) throws(DatasetError) {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .io(path: path, operation: "open", reason: "cannot read") }
        file = handle
        let status = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw .io(path: path, operation: "inflateInit2", reason: "status \(status)") }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
        try? file.close()
    }

    /// The next inflated bytes, or nil at the end of the file (complete or cut short).
    func read() -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: 1 << 16)
        while !finished {
            if stream.avail_in == 0 {
                guard let chunk = try? file.read(upToCount: input.count), !chunk.isEmpty else {
                    finished = true
                    return nil
                }
                let count = chunk.copyBytes(to: input)
                stream.next_in = input.baseAddress
                stream.avail_in = UInt32(count)
            }
            var produced = 0
            var status: Int32 = Z_OK
            output.withUnsafeMutableBufferPointer { target in
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                status = inflate(&stream, Z_NO_FLUSH)
                produced = target.count - Int(stream.avail_out)
            }
            switch status {
            case Z_STREAM_END:
                // a complete member; a later one (concatenated gzip) starts over
                if stream.avail_in == 0 { finished = true } else { inflateReset(&stream) }
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                failure = .truncated(file: path, offset: Int64(stream.total_in), reason: "gzip stream corrupt (\(status))")
                finished = true
            }
            if produced > 0 { return Array(output[0..<produced]) }
        }
        return nil
    }
}
