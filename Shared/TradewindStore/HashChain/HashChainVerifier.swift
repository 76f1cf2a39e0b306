extension HashChain {
    /// Walks a chain row by row in sequence order, holding nothing but the last link, so a caller
    /// can feed it a table page by page; the one check behind `tradewind audit verify`.
    public struct Verifier: Sendable {
        /// The sequence the next row must have.
        public private(set) var nextSequence: Int64
        /// Rows checked and found linked so far.
        public private(set) var verifiedRows: Int64 = 0
        private var previousHash: [UInt8]

        /// A walk from the chain's first row (`firstSequence`, linked to `genesis`).
        public init(firstSequence: Int64 = 1, genesis: [UInt8] = HashChain.genesis) {
            nextSequence = firstSequence
            previousHash = genesis
        }

        /// Checks the next row: nil (and moves past it) if it links to the rows before, else why
        /// it breaks the chain (the walk then stays at that row).
        public mutating func check(_ row: Row) -> Break? {
            if row.sequence != nextSequence {
                return .missingRows(expected: nextSequence, found: row.sequence)
            }
            if row.previousHash != previousHash {
                return .previousHashMismatch
            }
            if HashChain.link(previousHash: previousHash, content: row.content) != row.hash {
                return .contentChanged
            }
            previousHash = row.hash
            nextSequence += 1
            verifiedRows += 1
            return nil
        }
    }

    /// One stored row of a chain, as the verifier reads it.
    public struct Row: Sendable, Hashable {
        public var sequence: Int64
        public var content: [UInt8]
        /// The hash the row says its predecessor has.
        public var previousHash: [UInt8]
        /// `link(previousHash, content)` as stored when the row was written.
        public var hash: [UInt8]

        public init(sequence: Int64, content: [UInt8], previousHash: [UInt8], hash: [UInt8]) {
            self.sequence = sequence
            self.content = content
            self.previousHash = previousHash
            self.hash = hash
        }
    }

    /// Why a row breaks the chain.
    public enum Break: Sendable, Hashable, CustomStringConvertible {
        /// The row is not the next one in sequence: the rows between were removed.
        case missingRows(expected: Int64, found: Int64)
        /// The row's `previousHash` is not the hash of the row before it.
        case previousHashMismatch
        /// The row's content does not hash to its stored hash: the row was changed.
        case contentChanged

        public var description: String {
            switch self {
            case .missingRows(let expected, let found):
                "sequence jumps from \(expected - 1) to \(found): rows were removed"
            case .previousHashMismatch:
                "previous_hash does not match the hash of the row before it"
            case .contentChanged:
                "content does not match its hash: the row was changed"
            }
        }
    }
}
