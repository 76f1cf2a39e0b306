/// The audit trail's tamper evidence: each row stores `link(previousHash, content)`, so
/// changing, removing or reordering any row breaks every link from it onwards.
public enum HashChain {
    /// The `previousHash` of the first row of a chain: 32 zero bytes.
    public static let genesis = [UInt8](repeating: 0, count: 32)

    /// One link: SHA-256 over the previous row's hash followed by this row's content.
    public static func link(previousHash: [UInt8], content: [UInt8]) -> [UInt8] {
        SHA256.hash(previousHash + content)
    }

    /// Walks `rows` (in chain order, each with its content and stored hash) from `genesis`
    /// and returns the index of the first row whose stored hash is wrong, or nil if all hold.
    public static func firstBrokenLink(
        _ rows: some Sequence<(content: [UInt8], hash: [UInt8])>, startingFrom genesis: [UInt8] = genesis
    ) -> Int? {
        var previous = genesis
        for (index, row) in rows.enumerated() {
            guard link(previousHash: previous, content: row.content) == row.hash else { return index }
            previous = row.hash
        }
        return nil
    }
}
