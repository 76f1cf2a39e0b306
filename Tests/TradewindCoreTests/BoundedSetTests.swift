import Testing
import TradewindCore

@Suite struct BoundedSetTests {
    @Test func forgetsTheOldestBeyondCapacity() {
        var set = BoundedSet<Int>(capacity: 3)
        let firstInserts = [1, 2, 3].map { set.insert($0) }
        #expect(firstInserts == [true, true, true])
        let repeated = set.insert(2)
        #expect(!repeated)
        let fourth = set.insert(4)
        #expect(fourth)
        #expect(set.elements == [2, 3, 4])
        #expect(!set.contains(1))
        for value in 5...10_000 { set.insert(value) }
        #expect(set.elements == [9_998, 9_999, 10_000])
    }

    @Test func listsItsElementsOldestFirstSoACopyForgetsInTheSameOrder() {
        var set = BoundedSet(capacity: 3, ["c", "a", "b"])
        #expect(set.orderedElements == ["c", "a", "b"])
        set.insert("a")
        set.insert("d")
        #expect(set.orderedElements == ["a", "b", "d"])
        var copy = BoundedSet(capacity: 3, set.orderedElements)
        copy.insert("e")
        #expect(copy.orderedElements == ["b", "d", "e"])
    }
}
