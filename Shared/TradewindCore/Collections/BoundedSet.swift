/// A set that remembers at most `capacity` elements, forgetting the oldest first: for dedupe keys
/// (fill ids, finished order ids) that must not grow without bound in a long-running daemon.
public struct BoundedSet<Element: Hashable & Sendable>: Sendable {
    public let capacity: Int
    private var members: Set<Element> = []
    private var order: [Element] = []
    private var head = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// A set holding `elements` (the last `capacity` of them, in sequence order).
    public init(capacity: Int, _ elements: some Sequence<Element>) {
        self.init(capacity: capacity)
        for element in elements { insert(element) }
    }

    public var count: Int { members.count }

    /// Every remembered element.
    public var elements: Set<Element> { members }

    /// Every remembered element, oldest first (the order `init(capacity:_:)` takes them back in).
    public var orderedElements: [Element] { Array(order[head...]) }

    public func contains(_ element: Element) -> Bool { members.contains(element) }

    /// Inserts `element`; returns false if it was already there. May forget the oldest element.
    @discardableResult
    public mutating func insert(_ element: Element) -> Bool {
        guard members.insert(element).inserted else { return false }
        order.append(element)
        while members.count > capacity {
            members.remove(order[head])
            head += 1
        }
        if head > 4_096, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        return true
    }
}

/// How many ids the engines remember for dedupe (finished orders, fills): bounded memory that still
/// covers far more than a trading day at realistic order rates.
public enum DedupeMemory {
    public static let capacity = 100_000
}
