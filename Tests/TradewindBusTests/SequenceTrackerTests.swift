import Testing
import TradewindBus

@Suite struct SequenceTrackerTests {
    @Test func firstMessageSetsBaselineWithoutGap() {
        var tracker = SequenceTracker()
        #expect(tracker.observe(publisher: "md", sequence: 41) == .baseline(publisher: "md", sequence: 41))
        #expect(tracker.expectedSequence(from: "md") == 42)
    }

    @Test func consecutiveSequencesAreInOrder() {
        var tracker = SequenceTracker()
        _ = tracker.observe(publisher: "md", sequence: 1)
        for sequence in UInt64(2)...10 {
            #expect(tracker.observe(publisher: "md", sequence: sequence) == .inOrder)
        }
    }

    @Test func jumpAheadReportsGapOfMissingMessages() {
        var tracker = SequenceTracker()
        _ = tracker.observe(publisher: "md", sequence: 1)
        _ = tracker.observe(publisher: "md", sequence: 2)
        let observation = tracker.observe(publisher: "md", sequence: 5)
        #expect(observation == .gap(publisher: "md", expected: 3, received: 5))
        #expect(observation.missing == 2)
        #expect(tracker.observe(publisher: "md", sequence: 6) == .inOrder)
    }

    @Test func sequenceOneAfterHigherIsRestartNotGap() {
        var tracker = SequenceTracker()
        _ = tracker.observe(publisher: "md", sequence: 100)
        let observation = tracker.observe(publisher: "md", sequence: 1)
        #expect(observation == .restart(publisher: "md", received: 1))
        #expect(observation.missing == 0)
        #expect(tracker.observe(publisher: "md", sequence: 2) == .inOrder)
    }

    @Test func olderSequenceIsDuplicateAndKeepsExpectation() {
        var tracker = SequenceTracker()
        for sequence in UInt64(10)...12 { _ = tracker.observe(publisher: "md", sequence: sequence) }
        #expect(tracker.observe(publisher: "md", sequence: 11) == .duplicate(publisher: "md", expected: 13, received: 11))
        #expect(tracker.observe(publisher: "md", sequence: 13) == .inOrder)
    }

    @Test func backwardsRunThatContinuesIsRestartWithMissedStart() {
        var tracker = SequenceTracker()
        for sequence in UInt64(1)...50 { _ = tracker.observe(publisher: "md", sequence: sequence) }
        #expect(tracker.observe(publisher: "md", sequence: 4) == .duplicate(publisher: "md", expected: 51, received: 4))
        #expect(tracker.observe(publisher: "md", sequence: 5) == .restart(publisher: "md", received: 5))
        #expect(tracker.observe(publisher: "md", sequence: 6) == .inOrder)
    }

    @Test func publishersAreTrackedIndependently() {
        var tracker = SequenceTracker()
        _ = tracker.observe(publisher: "a", sequence: 1)
        #expect(tracker.observe(publisher: "b", sequence: 7) == .baseline(publisher: "b", sequence: 7))
        #expect(tracker.observe(publisher: "a", sequence: 2) == .inOrder)
        #expect(tracker.observe(publisher: "b", sequence: 9).missing == 1)
    }

    @Test func resetMakesNextMessageANewBaseline() {
        var tracker = SequenceTracker()
        _ = tracker.observe(publisher: "a", sequence: 1)
        tracker.reset(publisher: "a")
        #expect(tracker.observe(publisher: "a", sequence: 9) == .baseline(publisher: "a", sequence: 9))
    }
}
