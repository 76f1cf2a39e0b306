/// Derives the client order id from an intent id, so a replayed intent maps to the same order.
public enum ClientOrderId {
    /// Prefix of every client order id Tradewind generates.
    public static let prefix = "TW-"

    /// "TW-" + intent id; stable and deterministic.
    public static func from(intentId: String) -> String {
        prefix + intentId
    }
}
