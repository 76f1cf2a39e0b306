/// The journal's framing: `[length u32 LE][crc32 u32 LE][payload]`. A torn tail (a crash mid
/// write) shows up as a frame that is incomplete or fails its CRC, and is never replayed.
enum JournalFrame {
    static let headerSize = 8
    /// Larger lengths can only be garbage; they are treated as corruption, not allocated.
    static let maxPayload = 256 << 20

    enum Parsed {
        case frame(payload: Range<Int>, length: Int)
        /// More bytes are needed than the buffer holds.
        case incomplete
        case corrupt(reason: String)
    }

    /// Fills in the header of `frame`, whose first `headerSize` bytes were reserved for it.
    static func seal(_ frame: inout [UInt8]) {
        let payloadCount = frame.count - headerSize
        let crc = frame.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[headerSize...])) }
        store(UInt32(payloadCount), in: &frame, at: 0)
        store(crc, in: &frame, at: 4)
    }

    /// Parses the frame that starts at `start` in `buffer`.
    static func parse(_ buffer: UnsafeRawBufferPointer, at start: Int) -> Parsed {
        guard buffer.count - start >= headerSize else { return .incomplete }
        let length = Int(readUInt32(buffer, start))
        let crc = readUInt32(buffer, start + 4)
        guard length > 0, length <= maxPayload else { return .corrupt(reason: "implausible frame length \(length)") }
        guard buffer.count - start - headerSize >= length else { return .incomplete }
        let payload = (start + headerSize)..<(start + headerSize + length)
        guard CRC32.checksum(UnsafeRawBufferPointer(rebasing: buffer[payload])) == crc else {
            return .corrupt(reason: "CRC mismatch")
        }
        return .frame(payload: payload, length: headerSize + length)
    }

    private static func store(_ value: UInt32, in bytes: inout [UInt8], at index: Int) {
        for byte in 0..<4 { bytes[index + byte] = UInt8(truncatingIfNeeded: value >> UInt32(byte * 8)) }
    }

    private static func readUInt32(_ buffer: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(buffer[at + $1]) << UInt32($1 * 8) }
    }
}
