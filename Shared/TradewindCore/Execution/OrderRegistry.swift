/// The OMS's orders with bounded memory: every open order, the most recent finished ones, and the
/// ids (only) of older finished orders, so a resent approval is still recognised as a duplicate.
///
/// Open orders are indexed, so views and cancel-all cost O(open orders), not O(orders ever).
public struct OrderRegistry: Sendable {
    /// Finished orders kept in full (views, late duplicate fills); older ones keep only their id.
    public let retainedFinishedOrders: Int
    private var ordersById: [String: Order] = [:]
    private var creationIndex: [String: Int] = [:]
    private var nextCreationIndex = 0
    private var openIds: Set<String> = []
    private var finishedQueue: [String] = []
    private var finishedHead = 0
    private var evictedIds = BoundedSet<String>(capacity: DedupeMemory.capacity)
    private var fillKeysByOrder: [String: [String]] = [:]
    private var seenFills: Set<String> = []

    public init(retainedFinishedOrders: Int = 10_000) {
        self.retainedFinishedOrders = max(0, retainedFinishedOrders)
    }

    /// Remembers ids of orders that finished before a restart (their full state is not needed).
    public mutating func rememberFinished(_ ids: [String]) {
        for id in ids where ordersById[id] == nil { evictedIds.insert(id) }
    }

    /// The order with `clientOrderId`, if it is open or a retained finished order.
    public subscript(clientOrderId: String) -> Order? { ordersById[clientOrderId] }

    /// True if an order with this id ever existed here (retained or evicted).
    public func contains(_ clientOrderId: String) -> Bool {
        ordersById[clientOrderId] != nil || evictedIds.contains(clientOrderId)
    }

    /// Open and retained finished orders, in creation order.
    public var orders: [Order] { sortedByCreation(Array(ordersById.keys)) }

    /// Orders that can still trade, in creation order.
    public var openOrders: [Order] { sortedByCreation(Array(openIds)) }

    /// Number of open orders.
    public var openCount: Int { openIds.count }

    /// Fill dedupe keys of retained orders.
    public var seenFillKeys: Set<String> { seenFills }

    /// Whether the fill `key` was already applied.
    public func hasSeenFill(_ key: String) -> Bool { seenFills.contains(key) }

    /// Records an applied fill of `clientOrderId`.
    public mutating func recordFill(_ key: String, clientOrderId: String) {
        seenFills.insert(key)
        fillKeysByOrder[clientOrderId, default: []].append(key)
    }

    /// Stores a new or changed order and keeps the open index and retention bound current.
    public mutating func store(_ order: Order) {
        let id = order.clientOrderId
        let previous = ordersById.updateValue(order, forKey: id)
        if previous == nil {
            creationIndex[id] = nextCreationIndex
            nextCreationIndex += 1
        }
        if order.isOpen {
            openIds.insert(id)
            return
        }
        openIds.remove(id)
        if order.status.isTerminal, previous?.status.isTerminal != true {
            finishedQueue.append(id)
            evictBeyondRetention()
        }
    }

    private mutating func evictBeyondRetention() {
        while finishedQueue.count - finishedHead > retainedFinishedOrders {
            let id = finishedQueue[finishedHead]
            finishedHead += 1
            ordersById[id] = nil
            creationIndex[id] = nil
            evictedIds.insert(id)
            for key in fillKeysByOrder.removeValue(forKey: id) ?? [] { seenFills.remove(key) }
        }
        if finishedHead > 4_096, finishedHead * 2 > finishedQueue.count {
            finishedQueue.removeFirst(finishedHead)
            finishedHead = 0
        }
    }

    private func sortedByCreation(_ ids: [String]) -> [Order] {
        ids.sorted { creationIndex[$0, default: 0] < creationIndex[$1, default: 0] }.compactMap { ordersById[$0] }
    }
}
