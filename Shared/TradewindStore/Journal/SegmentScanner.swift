import Glibc

/// Walks the frames of one segment file between two offsets with large `pread`s, stopping
/// at the limit, at a torn or corrupt frame, or when the visitor has had enough.
struct SegmentScanner {
    enum Stop: Equatable {
        case limit
        case visitorStopped
        /// The bytes before the limit do not hold a whole frame (a torn tail).
        case incomplete
        case corrupt(String)
    }

    static let chunkSize = 1 << 20

    let fd: Int32
    let path: String

    /// Visits each whole, CRC-valid frame's payload with the offset just past it; returns the
    /// offset after the last visited frame and why the walk stopped.
    func scan(
        from start: UInt64, limit: UInt64, visit: (UnsafeRawBufferPointer, UInt64) -> Bool
    ) throws(StoreError) -> (end: UInt64, stop: Stop) {
        var offset = start
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        while offset < limit {
            let wanted = Int(min(UInt64(buffer.count), limit - offset))
            let got = try read(into: &buffer, count: wanted, at: offset)
            var cursor = 0
            var stop: Stop?
            var needed = 0
            buffer.withUnsafeBytes { raw in
                let window = UnsafeRawBufferPointer(rebasing: raw[0..<got])
                while stop == nil, cursor < got {
                    switch JournalFrame.parse(window, at: cursor) {
                    case .frame(let payload, let length):
                        cursor += length
                        if !visit(UnsafeRawBufferPointer(rebasing: window[payload]), offset + UInt64(cursor)) {
                            stop = .visitorStopped
                        }
                    case .incomplete:
                        needed = Self.frameLength(window, cursor)
                        if got < wanted || offset + UInt64(got) >= limit { stop = .incomplete }
                        return
                    case .corrupt(let reason):
                        stop = .corrupt(reason)
                    }
                }
            }
            offset += UInt64(cursor)
            if let stop { return (offset, stop) }
            if cursor == 0 {
                guard needed > buffer.count else { return (offset, .incomplete) }
                buffer = [UInt8](repeating: 0, count: needed)
            }
        }
        return (offset, .limit)
    }

    private static func frameLength(_ window: UnsafeRawBufferPointer, _ at: Int) -> Int {
        guard window.count - at >= JournalFrame.headerSize else { return JournalFrame.headerSize }
        let length = (0..<4).reduce(0) { $0 | Int(window[at + $1]) << ($1 * 8) }
        return JournalFrame.headerSize + length
    }

    private func read(into buffer: inout [UInt8], count: Int, at offset: UInt64) throws(StoreError) -> Int {
        var total = 0
        while total < count {
            let got = buffer.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress! + total, count - total, off_t(offset) + off_t(total))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw .journalIO(path: path, operation: "read", reason: SystemError.last)
            }
            if got == 0 { break }
            total += got
        }
        return total
    }
}
