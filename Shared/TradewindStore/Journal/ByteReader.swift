/// Bounds-checked little-endian decoding of the journal's record fields.
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    var index = 0

    var isAtEnd: Bool { index == buffer.count }

    mutating func u8() throws(RecordCodec.CodecError) -> UInt8 {
        try need(1)
        defer { index += 1 }
        return buffer[index]
    }

    mutating func u16() throws(RecordCodec.CodecError) -> UInt16 {
        UInt16(truncatingIfNeeded: try unsigned(2))
    }

    mutating func u32() throws(RecordCodec.CodecError) -> UInt32 {
        UInt32(truncatingIfNeeded: try unsigned(4))
    }

    mutating func u64() throws(RecordCodec.CodecError) -> UInt64 {
        try unsigned(8)
    }

    mutating func string() throws(RecordCodec.CodecError) -> String {
        String(decoding: try raw(Int(try u32())), as: UTF8.self)
    }

    mutating func strings() throws(RecordCodec.CodecError) -> [String] {
        let count = Int(try u16())
        var texts: [String] = []
        texts.reserveCapacity(count)
        for _ in 0..<count { texts.append(try string()) }
        return texts
    }

    mutating func value() throws(RecordCodec.CodecError) -> PGValue? {
        let tag = try u8()
        switch tag {
        case 0: return nil
        case 1: return .text(try string())
        case 2: return .int(Int64(bitPattern: try u64()))
        case 3: return .bool(try u8() != 0)
        case 4: return .bytes(Array(try raw(Int(try u32()))))
        case 5: return .timestampNs(Int64(bitPattern: try u64()))
        case 6: return .numeric(try string())
        default: throw RecordCodec.CodecError(reason: "unknown value tag \(tag)")
        }
    }

    private mutating func raw(_ count: Int) throws(RecordCodec.CodecError) -> UnsafeRawBufferPointer {
        try need(count)
        defer { index += count }
        return UnsafeRawBufferPointer(rebasing: buffer[index..<(index + count)])
    }

    private mutating func unsigned(_ width: Int) throws(RecordCodec.CodecError) -> UInt64 {
        let bytes = try raw(width)
        return (0..<width).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << UInt64($1 * 8) }
    }

    private func need(_ count: Int) throws(RecordCodec.CodecError) {
        guard count >= 0, buffer.count - index >= count else {
            throw RecordCodec.CodecError(reason: "record truncated at byte \(index)")
        }
    }
}
