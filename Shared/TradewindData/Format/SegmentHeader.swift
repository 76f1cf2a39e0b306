/// The 64-byte header of a segment: magic "TWDSEG01", format version, record size, records per
/// full block and the segment's index (its file number), then zeros.
struct SegmentHeader: Sendable, Hashable {
    var version: UInt16 = DatasetFormat.version
    var recordSize: UInt16 = UInt16(DatasetFormat.recordSize)
    var blockRecords: UInt32 = UInt32(DatasetFormat.blockRecords)
    var index: UInt32

    init(index: UInt32) {
        self.index = index
    }

    /// The header's 64 bytes.
    var bytes: [UInt8] {
        var bytes = DatasetFormat.segmentMagic
        bytes += withUnsafeBytes(of: version.littleEndian, Array.init)
        bytes += withUnsafeBytes(of: recordSize.littleEndian, Array.init)
        bytes += withUnsafeBytes(of: blockRecords.littleEndian, Array.init)
        bytes += withUnsafeBytes(of: index.littleEndian, Array.init)
        bytes += [UInt8](repeating: 0, count: DatasetFormat.segmentHeaderSize - bytes.count)
        return bytes
    }

    /// Parses and checks a header read from `file`: magic, version, record size, block records and
    /// the index the file name implies.
    init(parsing bytes: UnsafeRawBufferPointer, file: String, expectedIndex: Int) throws(DatasetError) {
        guard bytes.count >= DatasetFormat.segmentHeaderSize else {
            throw .truncated(file: file, offset: Int64(bytes.count), reason: "the segment header needs \(DatasetFormat.segmentHeaderSize) bytes, the file has \(bytes.count)")
        }
        guard Array(bytes[0..<8]) == DatasetFormat.segmentMagic else {
            throw .badMagic(file: file, offset: 0, expected: "\"TWDSEG01\"")
        }
        version = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        recordSize = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 10, as: UInt16.self))
        blockRecords = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        index = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        guard version == DatasetFormat.version else {
            throw .badHeader(file: file, offset: 8, reason: "format version \(version), this build reads \(DatasetFormat.version)")
        }
        guard recordSize == DatasetFormat.recordSize else {
            throw .badHeader(file: file, offset: 10, reason: "record size \(recordSize), expected \(DatasetFormat.recordSize)")
        }
        guard blockRecords == DatasetFormat.blockRecords else {
            throw .badHeader(file: file, offset: 12, reason: "block records \(blockRecords), expected \(DatasetFormat.blockRecords)")
        }
        guard index == expectedIndex else {
            throw .badHeader(file: file, offset: 16, reason: "segment index \(index), expected \(expectedIndex)")
        }
    }
}
