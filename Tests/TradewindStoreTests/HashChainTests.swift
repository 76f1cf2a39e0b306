import Testing
import TradewindStore

@Suite struct HashChainTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func sha256MatchesFIPSVectors(message: String, digest: String) {
        #expect(SHA256.hexDigest(message) == digest)
    }

    @Test func sha256OfOneMillionAs() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(Hex.encode(SHA256.hash(message)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func sha256AroundBlockBoundaries() {
        // Lengths 55, 56 and 64 exercise one- and two-block padding.
        #expect(SHA256.hexDigest(String(repeating: "a", count: 55)) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(SHA256.hexDigest(String(repeating: "a", count: 56)) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(SHA256.hexDigest(String(repeating: "a", count: 64)) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    @Test func hexRoundTripsAndRejectsNonHex() {
        #expect(Hex.encode([0x00, 0x0f, 0xab, 0xff]) == "000fabff")
        #expect(Hex.decode("000FabFF") == [0x00, 0x0f, 0xab, 0xff])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }

    private func chain(_ contents: [String]) -> [(content: [UInt8], hash: [UInt8])] {
        var previous = HashChain.genesis
        return contents.map { text in
            let content = Array(text.utf8)
            previous = HashChain.link(previousHash: previous, content: content)
            return (content, previous)
        }
    }

    @Test func intactChainVerifies() {
        let rows = chain((0..<50).map { "order-\($0)|filled|100.25" })
        #expect(HashChain.firstBrokenLink(rows) == nil)
        #expect(rows[0].hash == SHA256.hash(HashChain.genesis + rows[0].content))
    }

    @Test(arguments: [0, 17, 49])
    func alteringOneContentBreaksTheChainAtThatLink(index: Int) {
        var rows = chain((0..<50).map { "order-\($0)|filled|100.25" })
        rows[index].content = Array("order-\(index)|filled|999.25".utf8)
        #expect(HashChain.firstBrokenLink(rows) == index)
    }

    @Test func removingARowBreaksTheChainWhereItWas() {
        var rows = chain((0..<10).map { "event-\($0)" })
        rows.remove(at: 4)
        #expect(HashChain.firstBrokenLink(rows) == 4)
    }
}
