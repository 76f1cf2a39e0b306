import Crypto

/// The audit trail's tamper evidence: each row stores `link(previousHash, content)`, so
/// changing, removing or reordering any row breaks every link from it onwards.
public enum HashChain {
    /// The `previousHash` of the first row of a chain: 32 zero bytes.
    public static let genesis = [UInt8](repeating: 0, count: 32)

    /// One link: SHA-256 over the previous row's hash followed by this row's content.
    public static func link(previousHash: [UInt8], content: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previousHash)
        hasher.update(data: content)
        return Array(hasher.finalize())
    }

    /// The first row of `rows` (in sequence order, from sequence 1) that breaks the chain, with
    /// why; nil if every link holds.
    public static func firstBrokenLink(_ rows: some Sequence<Row>) -> (row: Row, problem: Break)? {
        var verifier = Verifier()
        for row in rows {
            if let problem = verifier.check(row) { return (row, problem) }
        }
        return nil
    }
}
