/// A key the risk engine has just started to remember so as to refuse a duplicate, numbered in the
/// order it was remembered: a host persists each one, and a restored engine reloads the latest.
public struct RiskDedupeKey: Sendable, Hashable, Codable {
    /// What the key identifies; the raw value is stable (a database value).
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A finished order's client order id: its intent is a `DUPLICATE_INTENT` from now on.
        case finishedOrder = "finished_order"
        /// A counted fill (`PositionEngine.fillKey`): the same fill again changes nothing.
        case fill
    }

    public var kind: Kind
    public var key: String
    /// 1 for the first key an engine remembered, +1 for each after; carried across snapshots.
    public var sequence: Int64
    /// Time of the event that made the engine remember it.
    public var timeNs: Int64

    public init(kind: Kind, key: String, sequence: Int64, timeNs: Int64) {
        self.kind = kind
        self.key = key
        self.sequence = sequence
        self.timeNs = timeNs
    }
}
