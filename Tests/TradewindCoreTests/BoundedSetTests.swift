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
}
