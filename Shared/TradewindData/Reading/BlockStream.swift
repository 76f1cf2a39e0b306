import Crypto
import Glibc

/// Reads a dataset's segments block by block through one fixed buffer (one `pread` per block),
/// checking each block's magic, count and CRC, each segment's header, size, record count and
/// (with `.full` verification) SHA-256 against the manifest. Memory does not grow with the data.
@usableFromInline
final class BlockStream {
    let directory: String
    let manifest: DatasetManifest
    let verification: DatasetReader.Verification
    /// The records of the current block, in `buffer`.
    @usableFromInline private(set) var records: UnsafeRawPointer
    /// File and offset of the current block, for errors.
    private(set) var fileName = ""
    private(set) var blockOffset: Int64 = 0
    private(set) var tornTail: TornTail?
    /// With `tolerant`, what would have been thrown: a block with a bad CRC is skipped, a
    /// segment with a structural problem abandoned, and reading goes on (`tradewind data verify`).
    let tolerant: Bool
    private(set) var problems: [DatasetError] = []

    private let buffer: UnsafeMutableRawPointer
    private var nextSegment = 0
    private var fd: Int32 = -1
    private var entry: DatasetManifest.Segment?
    private var isOpenSegment = false
    private var position: Int64 = 0
    private var end: Int64 = 0
    private var segmentRecords: Int64 = 0
    private var hasher: SHA256?
    /// The size of the block whose CRC just failed, so a tolerant pass can step over it.
    private var skippableBlockSize: Int?

    init(directory: String, manifest: DatasetManifest, verification: DatasetReader.Verification, tolerant: Bool = false) {
        self.directory = directory
        self.manifest = manifest
        self.verification = verification
        self.tolerant = tolerant
        buffer = .allocate(byteCount: DatasetFormat.fullBlockSize, alignment: 64)
        records = UnsafeRawPointer(buffer + DatasetFormat.blockHeaderSize)
    }

    deinit {
        if fd >= 0 { close(fd) }
        buffer.deallocate()
    }

    /// Loads the next block; returns its record count (records at `records`), or 0 at the end.
    @usableFromInline
    func nextBlock() throws(DatasetError) -> Int {
        while true {
            do throws(DatasetError) {
                if fd < 0 {
                    guard nextSegment < manifest.segments.count else { return 0 }
                    nextSegment += 1
                    try openSegment(manifest.segments[nextSegment - 1], isLast: nextSegment == manifest.segments.count)
                    if fd < 0 { continue }
                }
                if position >= end {
                    try closeSegment()
                    continue
                }
                if let count = try readBlock() { return count }
            } catch {
                try recover(from: error)
            }
        }
    }

    /// An open segment's last block-sized stretch may be torn; anything else is thrown, or with
    /// `tolerant` noted (a bad CRC skips its block, other problems the rest of the segment).
    private func recover(from error: DatasetError) throws(DatasetError) {
        if isOpenSegment, fd >= 0, position >= Int64(DatasetFormat.segmentHeaderSize), end - position <= Int64(DatasetFormat.fullBlockSize) {
            tornTail = TornTail(file: fileName, offset: position, bytes: end - position)
            end = position
            return
        }
        guard tolerant else { throw error }
        problems.append(error)
        if case .crcMismatch = error, let size = skippableBlockSize {
            position += Int64(size)
            segmentRecords += Int64((size - DatasetFormat.blockHeaderSize) / DatasetFormat.recordSize)
            hasher = nil
            return
        }
        if fd >= 0 { close(fd) }
        fd = -1
    }

    private func openSegment(_ segment: DatasetManifest.Segment, isLast: Bool) throws(DatasetError) {
        fileName = segment.file
        entry = segment
        position = 0
        end = 0
        isOpenSegment = isLast && !manifest.complete
        let path = directory + "/" + segment.file
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else {
            if isOpenSegment, errno == ENOENT { return }
            throw .io(path: path, operation: "open", reason: SystemErrorText.last)
        }
        fd = opened
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        let size = try FileIO.size(fd, path: path)
        segmentRecords = 0
        hasher = verification == .full && !isOpenSegment ? SHA256() : nil
        if isOpenSegment {
            end = size
            guard size >= Int64(DatasetFormat.segmentHeaderSize) else {
                if size > 0 { tornTail = TornTail(file: fileName, offset: 0, bytes: size) }
                position = end
                return
            }
        } else {
            if size > segment.bytes { throw .trailingBytes(file: fileName, offset: segment.bytes, count: size - segment.bytes) }
            end = segment.bytes
        }
        let got = try FileIO.preadUpTo(fd, buffer, count: DatasetFormat.segmentHeaderSize, at: 0, path: path)
        let header = UnsafeRawBufferPointer(start: buffer, count: got)
        _ = try SegmentHeader(parsing: header, file: fileName, expectedIndex: nextSegment)
        hasher?.update(bufferPointer: header)
        position = Int64(DatasetFormat.segmentHeaderSize)
    }

    /// Reads and checks the block at `position`; nil when an open segment's data ends with it.
    private func readBlock() throws(DatasetError) -> Int? {
        blockOffset = position
        let wanted = Int(min(Int64(DatasetFormat.fullBlockSize), end - position))
        let got = try FileIO.preadUpTo(fd, buffer, count: wanted, at: position, path: directory + "/" + fileName)
        guard got >= DatasetFormat.blockHeaderSize else {
            throw .truncated(file: fileName, offset: position + Int64(got), reason: "the block header \(DatasetError.at(position)) needs 16 bytes")
        }
        guard UInt32(littleEndian: buffer.loadUnaligned(as: UInt32.self)) == DatasetFormat.blockMagic else {
            throw .badMagic(file: fileName, offset: position, expected: "block \"TWDB\"")
        }
        let count = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        guard (1...DatasetFormat.blockRecords).contains(count) else {
            throw .badHeader(file: fileName, offset: position + 4, reason: "block record count \(count) outside 1...\(DatasetFormat.blockRecords)")
        }
        let size = DatasetFormat.blockHeaderSize + count * DatasetFormat.recordSize
        guard got >= size else {
            throw .truncated(file: fileName, offset: position + Int64(got), reason: "the block \(DatasetError.at(position)) needs \(size) bytes")
        }
        skippableBlockSize = size
        let stored = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        let computed = DatasetCRC32.checksum(UnsafeRawBufferPointer(start: records, count: size - DatasetFormat.blockHeaderSize))
        guard stored == computed else {
            throw .crcMismatch(file: fileName, offset: position, expected: stored, computed: computed)
        }
        if count < DatasetFormat.blockRecords, position + Int64(size) < end {
            guard isOpenSegment else {
                throw .badHeader(file: fileName, offset: position, reason: "a short block (\(count) records) before the segment's end")
            }
            tornTail = TornTail(file: fileName, offset: position + Int64(size), bytes: end - position - Int64(size))
            end = position + Int64(size)
        }
        hasher?.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: size))
        position += Int64(size)
        segmentRecords += Int64(count)
        return count
    }

    private func closeSegment() throws(DatasetError) {
        close(fd)
        fd = -1
        guard let entry else { return }
        if isOpenSegment {
            guard segmentRecords >= entry.records else {
                throw .truncated(file: fileName, offset: position, reason: "the manifest lists \(entry.records) flushed records, \(segmentRecords) are readable")
            }
            return
        }
        if let hasher {
            let computed = Hex.string(hasher.finalize())
            guard computed == entry.sha256 else { throw .hashMismatch(file: fileName, expected: entry.sha256, computed: computed) }
        }
        guard segmentRecords == entry.records else {
            throw .countMismatch(file: fileName, expected: entry.records, found: segmentRecords)
        }
    }
}
