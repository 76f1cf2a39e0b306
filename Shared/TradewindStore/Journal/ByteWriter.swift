/// Little-endian encoding of the journal's record fields.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func u32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func u64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func string(_ text: String) {
        u32(UInt32(truncatingIfNeeded: text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }

    mutating func strings(_ texts: [String]) {
        u16(UInt16(truncatingIfNeeded: texts.count))
        for text in texts { string(text) }
    }

    mutating func value(_ value: PGValue?) {
        switch value {
        case nil: u8(0)
        case .text(let text): u8(1); string(text)
        case .int(let number): u8(2); u64(UInt64(bitPattern: number))
        case .bool(let flag): u8(3); u8(flag ? 1 : 0)
        case .bytes(let data): u8(4); u32(UInt32(truncatingIfNeeded: data.count)); bytes.append(contentsOf: data)
        case .timestampNs(let nanoseconds): u8(5); u64(UInt64(bitPattern: nanoseconds))
        case .numeric(let decimal): u8(6); string(decimal)
        }
    }
}
