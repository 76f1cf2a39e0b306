import TradewindCZlib
import Foundation
import TradewindCore

/// One thing a live feed received, as received: a frame, a REST snapshot body, or a connection
/// opening or closing (the book procedure needs all four to be replayed).
public struct RawRecord: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case frame, snapshot, open, close
    }

    /// Local receive time, ns since the Unix epoch.
    public var receivedNs: Int64
    public var kind: Kind
    /// frame, open, close: the connection number; snapshot: the instrument id.
    public var tag: String
    public var payload: [UInt8]

    public init(receivedNs: Int64, kind: Kind, tag: String, payload: [UInt8]) {
        self.receivedNs = receivedNs
        self.kind = kind
        self.tag = tag
        self.payload = payload
    }
}

/// Writes raw records to gzip segments under `<raw>/<venue>/<YYYY-MM-DD>/`: each record is a header
/// line `<received_ns> <kind> <tag> <length>\n` followed by `length` payload bytes and `\n`. The
/// gzip stream is sync-flushed to the file every `flushIntervalNs` of receive time (and on
/// `flush()`), so a crash loses at most the unflushed tail and every flushed record stays readable
/// (the reader accepts a stream cut short). A segment ends when it passes `rotateBytes` of
/// compressed output or when the UTC day of the receive time changes; names sort in time order.
public final class RawRecordWriter {
    public let directory: String
    public let rotateBytes: Int
    public let flushIntervalNs: Int64
    private var segment: Segment?
    private var segmentNumber = 0
    private var lastFlushNs: Int64 = 0
    private var unflushed = false
    /// Paths of the segments written, in order.
    public private(set) var segments: [String] = []
    public private(set) var records = 0

    /// `directory`: `<data root>/raw/<venue>`.
    public init(directory: String, rotateBytes: Int = 256 << 20, flushIntervalNs: Int64 = 1_000_000_000) {
        self.directory = directory
        self.rotateBytes = rotateBytes
        self.flushIntervalNs = flushIntervalNs
    }

    deinit { try? finish() }

    public func append(_ record: RawRecord) throws(DatasetError) {
        let day = UTCDay(timeNs: record.receivedNs)
        if let current = segment, current.day != day || current.compressedBytes >= rotateBytes {
            try current.close()
            segment = nil
        }
        if segment == nil { segment = try open(day: day, atNs: record.receivedNs) }
        guard let segment else { return }
        var header = Array("\(record.receivedNs) \(record.kind.rawValue) \(record.tag) \(record.payload.count)\n".utf8)
        header.append(contentsOf: record.payload)
        header.append(UInt8(ascii: "\n"))
        try segment.write(header)
        records += 1
        unflushed = true
        try flush(ifDueAt: record.receivedNs)
    }

    /// Flushes if records are waiting and `flushIntervalNs` passed since the last flush (a host
    /// calls this on its timer, so a quiet feed's last records do not wait for the next one).
    public func flush(ifDueAt timeNs: Int64) throws(DatasetError) {
        guard unflushed, timeNs - lastFlushNs >= flushIntervalNs else { return }
        lastFlushNs = timeNs
        try flush()
    }

    /// Makes everything appended so far readable from the file.
    public func flush() throws(DatasetError) {
        unflushed = false
        try segment?.flush()
    }

    /// Ends the current segment (a complete gzip stream).
    public func finish() throws(DatasetError) {
        try segment?.close()
        segment = nil
    }

    private func open(day: UTCDay, atNs time: Int64) throws(DatasetError) -> Segment {
        let folder = "\(directory)/\(day)"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .io(path: folder, operation: "create directory", reason: "\(error)")
        }
        segmentNumber += 1
        let path = "\(folder)/\(time)-\(segmentNumber).raw.gz"
        segments.append(path)
        return try Segment(path: path, day: day)
    }

    /// One gzip file being written.
    private final class Segment {
        let path: String
        let day: UTCDay
        private let file: FileHandle
        private var stream = z_stream()
        private var output = [UInt8](repeating: 0, count: 1 << 16)
        private(set) var compressedBytes = 0
        private var closed = false

        init(path: String, day: UTCDay) throws(DatasetError) {
            self.path = path
            self.day = day
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw .io(path: path, operation: "create", reason: "cannot create the segment")
            }
            file = handle
            // windowBits 15 + 16: a gzip wrapper
            let status = deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else { throw .io(path: path, operation: "deflateInit2", reason: "status \(status)") }
        }

        deinit { if !closed { deflateEnd(&stream) } }

        func write(_ bytes: [UInt8]) throws(DatasetError) { try deflate(bytes, flush: Z_NO_FLUSH) }

        func flush() throws(DatasetError) { try deflate([], flush: Z_SYNC_FLUSH) }

        func close() throws(DatasetError) {
            guard !closed else { return }
            try deflate([], flush: Z_FINISH)
            deflateEnd(&stream)
            closed = true
            do { try file.close() } catch { throw .io(path: path, operation: "close", reason: "\(error)") }
        }

        private func deflate(_ input: [UInt8], flush mode: Int32) throws(DatasetError) {
            var failure: DatasetError?
            var input = input
            input.withUnsafeMutableBufferPointer { source in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                repeat {
                    let produced: Int = output.withUnsafeMutableBufferPointer { target in
                        stream.next_out = target.baseAddress
                        stream.avail_out = UInt32(target.count)
                        _ = TradewindCZlib.deflate(&stream, mode)
                        return target.count - Int(stream.avail_out)
                    }
                    if produced > 0 {
                        do {
                            try file.write(contentsOf: output[0..<produced])
                        } catch {
                            failure = .io(path: path, operation: "write", reason: "\(error)")
                            return
                        }
                        compressedBytes += produced
                    }
                } while stream.avail_out == 0 || stream.avail_in > 0
            }
            stream.next_in = nil
            if let failure { throw failure }
        }
    }
}
