import Testing
import TradewindStore

@Suite struct HashChainTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func aLinkIsSHA256OfThePreviousHashThenTheContent(message: String, digest: String) {
        let bytes = Array(message.utf8)
        #expect(Hex.encode(HashChain.link(previousHash: [], content: bytes)) == digest)
        let split = bytes.count / 2
        #expect(Hex.encode(HashChain.link(previousHash: Array(bytes[..<split]), content: Array(bytes[split...]))) == digest)
    }

    @Test func aChainFromGenesisMatchesKnownHashes() {
        let rows = chain(["order-1|filled|100.25", "order-2|canceled"])
        #expect(rows.map { Hex.encode($0.hash) } == [
            "fca25c13ba8413bcc64760795ef5567ccb4d77cafc96f23e2cfab1814319b653",
            "de99629c1020f5d064894031666e583df3daf0e897d60f9ce5120641b6a48e37",
        ])
        #expect(rows[0].previousHash == HashChain.genesis && HashChain.genesis.count == 32)
    }

    @Test func migrationChecksumsAreSHA256OfTheirSQL() {
        #expect(Migration(version: 1, name: "one", sql: "SELECT 1").checksum
            == "e004ebd5b5532a4b85984a62f8ad48a81aa3460c1ca07701f386135d72cdecf5")
    }

    @Test func hexRoundTripsAndRejectsNonHex() {
        #expect(Hex.encode([0x00, 0x0f, 0xab, 0xff]) == "000fabff")
        #expect(Hex.decode("000FabFF") == [0x00, 0x0f, 0xab, 0xff])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }

    /// Rows 1, 2, 3… linked from genesis, as the audit trail stores them.
    private func chain(_ contents: [String]) -> [HashChain.Row] {
        var previous = HashChain.genesis
        return contents.enumerated().map { index, text in
            let content = Array(text.utf8)
            let hash = HashChain.link(previousHash: previous, content: content)
            defer { previous = hash }
            return HashChain.Row(sequence: Int64(index + 1), content: content, previousHash: previous, hash: hash)
        }
    }

    @Test func anIntactChainVerifiesWhetherWalkedAtOnceOrPageByPage() {
        let rows = chain((0..<50).map { "order-\($0)|filled|100.25" })
        #expect(HashChain.firstBrokenLink(rows) == nil)
        var verifier = HashChain.Verifier()
        for page in stride(from: 0, to: rows.count, by: 7) {
            for row in rows[page..<min(page + 7, rows.count)] { #expect(verifier.check(row) == nil) }
        }
        #expect(verifier.verifiedRows == 50)
        #expect(verifier.nextSequence == 51)
    }

    @Test(arguments: [0, 17, 49])
    func alteringOneContentBreaksTheChainAtThatRow(index: Int) {
        var rows = chain((0..<50).map { "order-\($0)|filled|100.25" })
        rows[index].content = Array("order-\(index)|filled|999.25".utf8)
        let broken = HashChain.firstBrokenLink(rows)
        #expect(broken?.row.sequence == Int64(index + 1))
        #expect(broken?.problem == .contentChanged)
    }

    @Test func rehashingAChangedRowMovesTheBreakToTheNextRow() {
        var rows = chain((0..<10).map { "event-\($0)" })
        rows[3].content = Array("event-3 rewritten".utf8)
        rows[3].hash = HashChain.link(previousHash: rows[3].previousHash, content: rows[3].content)
        let broken = HashChain.firstBrokenLink(rows)
        #expect(broken?.row.sequence == 5)
        #expect(broken?.problem == .previousHashMismatch)
    }

    @Test func removingARowBreaksTheChainWhereItWas() {
        var rows = chain((0..<10).map { "event-\($0)" })
        rows.remove(at: 4)
        let broken = HashChain.firstBrokenLink(rows)
        #expect(broken?.row.sequence == 6)
        #expect(broken?.problem == .missingRows(expected: 5, found: 6))
        #expect(broken?.problem.description == "sequence jumps from 4 to 6: rows were removed")
    }

    @Test func swappingTwoRowsBreaksTheChainAtTheFirst() {
        var rows = chain((0..<10).map { "event-\($0)" })
        rows.swapAt(2, 3)
        (rows[2].sequence, rows[3].sequence) = (3, 4)
        let broken = HashChain.firstBrokenLink(rows)
        #expect(broken?.row.sequence == 3)
        #expect(broken?.problem == .previousHashMismatch)
    }
}
