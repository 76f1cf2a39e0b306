import Testing
import TradewindCore

@Suite struct FeedPacerTests {
    @Test func firstCallTakesOneStepAtNow() {
        var pacer = FeedPacer(stepsPerSecond: 100)
        #expect(pacer.due(nowNs: 5_000_000_000) == [5_000_000_000])
    }

    @Test func catchUpStepsSpreadOverTheElapsedIntervalWithDistinctTimes() {
        var pacer = FeedPacer(stepsPerSecond: 4_000)
        _ = pacer.due(nowNs: 1_000_000_000)
        // 1 ms later, 4 steps are due: one every 250 µs, the last at now
        #expect(pacer.due(nowNs: 1_001_000_000) == [1_000_250_000, 1_000_500_000, 1_000_750_000, 1_001_000_000])
    }

    @Test func eventTimesStrictlyIncreaseEvenWhenTheClockDoesNot() {
        var pacer = FeedPacer(stepsPerSecond: 1_000_000)
        var times: [Int64] = []
        for nowNs: Int64 in [1_000_000, 1_000_010, 1_000_010, 999_000, 1_000_020, 3_000_000] {
            times += pacer.due(nowNs: nowNs)
        }
        #expect(times.count > 6)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func aStallIsAnsweredWithAtMostTheCapOfSteps() {
        var pacer = FeedPacer(stepsPerSecond: 1_000, maxStepsPerCall: 50)
        _ = pacer.due(nowNs: 0)
        #expect(pacer.due(nowNs: 10_000_000_000).count == 50)
        // at most one cap of backlog is kept and worked off; the rest of the stall is skipped
        #expect(pacer.due(nowNs: 10_001_000_000).count == 50)
        #expect(pacer.due(nowNs: 10_002_000_000).count == 2)
    }

    @Test func noStepIsDueBeforeItsTime() {
        var pacer = FeedPacer(stepsPerSecond: 10)
        _ = pacer.due(nowNs: 0)
        #expect(pacer.due(nowNs: 50_000_000).isEmpty)
        #expect(pacer.due(nowNs: 100_000_000) == [100_000_000])
    }
}
