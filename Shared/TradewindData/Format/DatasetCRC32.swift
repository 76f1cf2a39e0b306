import TradewindCZlib

/// CRC-32/ISO-HDLC (reflected polynomial 0xEDB88320), computed by the system's zlib: exactly
/// Python's `zlib.crc32`. zlib's braided implementation measured 2.3-4.5 GB/s on this project's
/// benchmark machine against 1.7-2.0 GB/s for a slice-by-16 table CRC written in Swift, and a
/// block's CRC is most of the raw reader's cost per event (docs/DATASETS.md, Benchmark).
public enum DatasetCRC32 {
    /// The CRC of `bytes`, continuing from `crc` (the CRC of what came before; 0 to start).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard var pointer = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return crc }
        var value = UInt(crc)
        var remaining = bytes.count
        while remaining > 0 {
            let chunk = min(remaining, Int(UInt32.max))
            value = crc32(value, pointer, UInt32(chunk))
            pointer += chunk
            remaining -= chunk
        }
        return UInt32(truncatingIfNeeded: value)
    }

    /// The CRC of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
