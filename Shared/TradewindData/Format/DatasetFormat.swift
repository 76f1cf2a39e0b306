/// The byte layout of a canonical dataset (docs/DATASETS.md has it byte by byte): a segment is a
/// 64-byte header followed by blocks; a block is a 16-byte header followed by up to
/// `blockRecords` records of 48 bytes. Little-endian everywhere.
public enum DatasetFormat {
    /// `format` in the manifest.
    public static let name = "tradewind.dataset"
    /// The format version this build writes and reads (manifest `version`, segment header).
    public static let version: UInt16 = 1
    /// Bytes per record.
    public static let recordSize = 48
    /// Records per full block; only the last block of a segment may hold fewer.
    public static let blockRecords = 4096
    /// Bytes of a segment header.
    public static let segmentHeaderSize = 64
    /// Bytes of a block header.
    public static let blockHeaderSize = 16
    /// Bytes of a full block, header included (196 624).
    public static let fullBlockSize = blockHeaderSize + blockRecords * recordSize
    /// Fixed-point scale of every price and quantity (value × 10^8), as `FixedPoint.units`.
    public static let scale = 8
    /// Default size at which the writer starts a new segment.
    public static let defaultSegmentBytes = 64 << 20

    /// "TWDSEG01", the first 8 bytes of every segment.
    public static let segmentMagic: [UInt8] = Array("TWDSEG01".utf8)
    /// The bytes "TWDB" read as a little-endian UInt32: the first field of every block header.
    public static let blockMagic: UInt32 = 0x4244_5754

    /// "seg-000001.twd" for index 1.
    public static func segmentFileName(_ index: Int) -> String {
        let digits = String(index)
        return "seg-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".twd"
    }

    /// The manifest's file name in a dataset directory.
    public static let manifestFileName = "manifest.json"
}
