import Foundation
import TradewindCore
import TradewindStore

/// The head of the order audit trail: every order event becomes one row whose hash links it to
/// the row before, so a changed, removed or reordered row is detectable (`tradewind-audit verify`).
struct AuditChain {
    private(set) var sequence: Int64
    private(set) var lastHash: [UInt8]

    init(sequence: Int64 = 0, lastHash: [UInt8] = HashChain.genesis) {
        self.sequence = sequence
        self.lastHash = lastHash
    }

    /// The next row for `order`'s latest event; `report` adds what the venue said (fill, reason).
    mutating func append(_ order: Order, report: ExecutionReport?) -> PersistedRecord {
        sequence += 1
        let content = Array(AuditEntry(order, report: report).canonicalJSON().utf8)
        let previous = lastHash
        lastHash = HashChain.link(previousHash: previous, content: content)
        return PersistedRecord(
            table: "execution_engine.order_audit_trail",
            columns: ["sequence", "client_order_id", "event_number", "status", "content", "previous_hash", "hash"],
            values: [
                .int(sequence), .text(order.clientOrderId), .int(Int64(order.eventCount)), .text(order.status.rawValue),
                .text(String(decoding: content, as: UTF8.self)), .bytes(previous), .bytes(lastHash),
            ],
            conflict: .ignore(key: ["sequence"]))
    }
}

/// What one audit row records, rendered as JSON with sorted keys (the hashed bytes).
struct AuditEntry: Encodable {
    var clientOrderId: String
    var intentId: String
    var eventNumber: Int
    var status: OrderStatus
    var instrument: String
    var side: Side
    var quantity: Quantity
    var limitPrice: Price?
    var filledQuantity: Quantity
    var averagePrice: Price?
    var fees: Money
    var venueOrderId: String?
    var execType: ExecType?
    var lastQuantity: Quantity?
    var lastPrice: Price?
    var fee: Money?
    var tradeId: String?
    var reasonCode: OrderReasonCode?
    var reasonDetail: String?
    var timeNs: Int64

    init(_ order: Order, report: ExecutionReport?) {
        clientOrderId = order.clientOrderId
        intentId = order.intentId
        eventNumber = order.eventCount
        status = order.status
        instrument = order.instrument.description
        side = order.side
        quantity = order.quantity
        limitPrice = order.limitPrice
        filledQuantity = order.filledQuantity
        averagePrice = order.averagePrice
        fees = order.fees
        venueOrderId = order.venueOrderId
        reasonCode = order.reason?.code
        reasonDetail = order.reason?.detail
        timeNs = order.updatedTimeNs
        if let report, report.clientOrderId == order.clientOrderId {
            execType = report.execType
            if report.isFill {
                lastQuantity = report.lastQuantity
                lastPrice = report.lastPrice
                fee = report.fee
                tradeId = report.tradeId
            }
        }
    }

    func canonicalJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }
}
