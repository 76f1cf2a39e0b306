/// The compact binary form of a `PersistedRecord` inside a journal frame (version 1):
/// table, conflict kind and key, columns, then one tagged value per column.
enum RecordCodec {
    static let version: UInt8 = 1

    /// The complete frame (header + payload) for `record`.
    static func frame(_ record: PersistedRecord) -> [UInt8] {
        var writer = ByteWriter()
        writer.bytes.reserveCapacity(JournalFrame.headerSize + 64 + record.values.count * 16)
        writer.bytes.append(contentsOf: repeatElement(0, count: JournalFrame.headerSize))
        writer.u8(version)
        writer.string(record.table)
        switch record.conflict {
        case .ignore: writer.u8(0)
        case .update: writer.u8(1)
        }
        writer.strings(record.conflict.key)
        writer.strings(record.columns)
        writer.u16(UInt16(truncatingIfNeeded: record.values.count))
        for value in record.values { writer.value(value) }
        JournalFrame.seal(&writer.bytes)
        return writer.bytes
    }

    static func decode(_ payload: UnsafeRawBufferPointer) throws(CodecError) -> PersistedRecord {
        var reader = ByteReader(buffer: payload)
        let version = try reader.u8()
        guard version == Self.version else { throw CodecError(reason: "unknown record version \(version)") }
        let table = try reader.string()
        let kind = try reader.u8()
        let key = try reader.strings()
        let conflict: PersistedRecord.Conflict
        switch kind {
        case 0: conflict = .ignore(key: key)
        case 1: conflict = .update(key: key)
        default: throw CodecError(reason: "unknown conflict kind \(kind)")
        }
        let columns = try reader.strings()
        let count = Int(try reader.u16())
        var values: [PGValue?] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try reader.value()) }
        guard reader.isAtEnd else { throw CodecError(reason: "trailing bytes after record") }
        return PersistedRecord(table: table, columns: columns, values: values, conflict: conflict)
    }

    struct CodecError: Error {
        var reason: String
    }
}
