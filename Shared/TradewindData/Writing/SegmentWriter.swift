import Crypto
import Glibc

/// The open segment file of a `DatasetWriter`: its header, the full blocks already written (and
/// hashed), and the current block being filled in a fixed buffer.
///
/// Blocks are written whole and in place. A block written before (by a flush) is extended by
/// writing its new records first and its 16-byte header last, so a crash at any moment leaves
/// the previously flushed records readable and at most one torn block behind them.
final class SegmentWriter {
    let index: Int
    let path: String
    let fileName: String
    private let fd: Int32
    /// Bytes of the header and the full blocks: final content, already in `hasher`.
    private(set) var sealedBytes: Int64
    private var hasher = SHA256()
    private(set) var records: Int64 = 0
    private(set) var firstNs: Int64 = 0
    private(set) var lastNs: Int64 = 0
    private let block: UnsafeMutableRawPointer
    private var blockCount = 0
    /// Records of the current block on disk, and their CRC.
    private var writtenCount = 0
    private var writtenCRC: UInt32 = 0

    /// Creates `directory/seg-<index>.twd` (it must not exist) and writes its header.
    init(directory: String, index: Int) throws(DatasetError) {
        self.index = index
        fileName = DatasetFormat.segmentFileName(index)
        path = directory + "/" + fileName
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, operation: "create", reason: SystemErrorText.last) }
        block = .allocate(byteCount: DatasetFormat.fullBlockSize, alignment: 64)
        let header = SegmentHeader(index: UInt32(index)).bytes
        sealedBytes = Int64(header.count)
        hasher.update(data: header)
        do throws(DatasetError) {
            try FileIO.writeAll(fd, header, path: path)
        } catch {
            close(fd)
            block.deallocate()
            throw error
        }
    }

    deinit {
        close(fd)
        block.deallocate()
    }

    /// Bytes the segment holds once its current block is written.
    var bytes: Int64 { sealedBytes + (blockCount > 0 ? Int64(DatasetFormat.blockHeaderSize + blockCount * DatasetFormat.recordSize) : 0) }

    /// True when the current block is empty (the next record starts a block).
    var atBlockBoundary: Bool { blockCount == 0 }

    /// Adds a record to the current block, writing the block once it is full.
    func append(_ record: DatasetRecord) throws(DatasetError) {
        record.store(to: block + DatasetFormat.blockHeaderSize + blockCount * DatasetFormat.recordSize)
        if records == 0 { firstNs = record.timeNs }
        lastNs = record.timeNs
        records += 1
        blockCount += 1
        if blockCount == DatasetFormat.blockRecords { try writeBlock() }
    }

    /// Writes the current block if it has records not yet on disk; returns the segment as the
    /// manifest lists it now.
    func flush() throws(DatasetError) -> DatasetManifest.Segment {
        if blockCount > writtenCount { try writeBlock() }
        var digest = hasher
        if blockCount > 0 {
            digest.update(bufferPointer: UnsafeRawBufferPointer(start: block, count: DatasetFormat.blockHeaderSize + blockCount * DatasetFormat.recordSize))
        }
        return DatasetManifest.Segment(
            file: fileName, records: records, bytes: bytes, firstNs: firstNs, lastNs: lastNs,
            sha256: Hex.string(digest.finalize()))
    }

    /// Flushes, then forces the file to stable storage.
    func sync() throws(DatasetError) -> DatasetManifest.Segment {
        let entry = try flush()
        try FileIO.sync(fd, path: path)
        return entry
    }

    private func writeBlock() throws(DatasetError) {
        let recordBytes = UnsafeRawBufferPointer(
            start: block + DatasetFormat.blockHeaderSize + writtenCount * DatasetFormat.recordSize,
            count: (blockCount - writtenCount) * DatasetFormat.recordSize)
        let crc = DatasetCRC32.checksum(recordBytes, continuing: writtenCRC)
        block.storeBytes(of: DatasetFormat.blockMagic.littleEndian, toByteOffset: 0, as: UInt32.self)
        block.storeBytes(of: UInt32(blockCount).littleEndian, toByteOffset: 4, as: UInt32.self)
        block.storeBytes(of: crc.littleEndian, toByteOffset: 8, as: UInt32.self)
        block.storeBytes(of: UInt32(0), toByteOffset: 12, as: UInt32.self)
        let blockBytes = DatasetFormat.blockHeaderSize + blockCount * DatasetFormat.recordSize
        if writtenCount == 0 {
            try FileIO.pwriteAll(fd, UnsafeRawBufferPointer(start: block, count: blockBytes), at: sealedBytes, path: path)
        } else {
            let recordsAt = sealedBytes + Int64(DatasetFormat.blockHeaderSize + writtenCount * DatasetFormat.recordSize)
            try FileIO.pwriteAll(fd, recordBytes, at: recordsAt, path: path)
            try FileIO.pwriteAll(fd, UnsafeRawBufferPointer(start: block, count: DatasetFormat.blockHeaderSize), at: sealedBytes, path: path)
        }
        writtenCount = blockCount
        writtenCRC = crc
        guard blockCount == DatasetFormat.blockRecords else { return }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(start: block, count: blockBytes))
        sealedBytes += Int64(blockBytes)
        blockCount = 0
        writtenCount = 0
        writtenCRC = 0
    }
}
