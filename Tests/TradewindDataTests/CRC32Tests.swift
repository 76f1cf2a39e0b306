import Testing
@testable import TradewindData

@Suite struct CRC32Tests {
    @Test func matchesZlibsCRC32() {
        // zlib.crc32(b"123456789") == 0xCBF43926, the CRC-32/ISO-HDLC check value
        #expect(DatasetCRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(DatasetCRC32.checksum([]) == 0)
        #expect(DatasetCRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
    }

    @Test func continuingOverPiecesEqualsTheWhole() {
        let bytes = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = DatasetCRC32.checksum(bytes)
        for split in [0, 1, 15, 16, 17, 500, 999] {
            let first = DatasetCRC32.checksum(Array(bytes[..<split]))
            let continued = bytes[split...].withUnsafeBytes { DatasetCRC32.checksum($0, continuing: first) }
            #expect(continued == whole, "split at \(split)")
        }
    }
}
