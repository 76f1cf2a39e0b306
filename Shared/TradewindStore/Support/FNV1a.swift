/// 64-bit FNV-1a: a stable hash (unlike `Hasher`, identical across processes and runs).
enum FNV1a {
    static func hash64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}
