import Dispatch
import Synchronization
import Testing
import TradewindBus

extension BusIntegrationTests {
    /// `BusLoop.submit` queues at most `inboxCapacity` items: a stalled loop thread makes it refuse
    /// work instead of growing without bound.
    @Suite struct Inbox {
        static let capacity = 8

        /// What submitted work did, recorded across threads; `hold` keeps the loop thread inside
        /// the work that calls it until `release()`.
        final class Probe: Sendable {
            private let ran = Mutex<[Int]>([])
            private let holding = Atomic<Bool>(false)
            private let gate = DispatchSemaphore(value: 0)

            func record(_ index: Int) { ran.withLock { $0.append(index) } }
            var recorded: [Int] { ran.withLock { $0 } }
            var isHolding: Bool { holding.load(ordering: .acquiring) }

            func hold() {
                holding.store(true, ordering: .releasing)
                gate.wait()
            }

            func release() { gate.signal() }
        }

        /// A started loop whose thread is held inside submitted work, its inbox empty.
        private static func blockedLoop(directory: String, probe: Probe) async throws -> BusLoop {
            var configuration = BusTestSupport.configuration(service: "inbox", directory: directory)
            configuration.inboxCapacity = capacity
            let loop = BusLoop(configuration: configuration, handler: RecordingHandler(), logger: BusTestSupport.logger)
            try loop.start()
            #expect(loop.submit { _ in probe.hold() })
            #expect(await BusTestSupport.waitUntil { probe.isHolding })
            return loop
        }

        @Test func refusesWorkBeyondItsCapacityAndRunsWhatItAcceptedInOrder() async throws {
            let directory = try BusTestSupport.makeSocketDirectory()
            defer { BusTestSupport.removeDirectory(directory) }
            let probe = Probe()
            let loop = try await Self.blockedLoop(directory: directory, probe: probe)

            let accepted = (0..<Self.capacity).map { index in loop.submit { _ in probe.record(index) } }
            #expect(accepted.allSatisfy { $0 })
            let refused = (0..<5).map { index in loop.submit { _ in probe.record(100 + index) } }
            #expect(refused.allSatisfy { !$0 })
            #expect(loop.health.submissionsRefused == 5)

            probe.release()
            #expect(await BusTestSupport.waitUntil { probe.recorded.count == Self.capacity })
            #expect(probe.recorded == Array(0..<Self.capacity))
            // drained, the inbox takes work again; what was refused never runs
            #expect(await loop.perform { _ in 42 } == 42)
            #expect(probe.recorded == Array(0..<Self.capacity))
            #expect(loop.health.submissionsRefused == 5)
            #expect(await BusTestSupport.stopAndJoin(loop))
        }

        @Test func performReturnsNilWithoutRunningTheWorkWhenTheInboxIsFull() async throws {
            let directory = try BusTestSupport.makeSocketDirectory()
            defer { BusTestSupport.removeDirectory(directory) }
            let probe = Probe()
            let loop = try await Self.blockedLoop(directory: directory, probe: probe)
            for index in 0..<Self.capacity { loop.submit { _ in probe.record(index) } }

            let result = await loop.perform { _ in
                probe.record(-1)
                return 1
            }
            #expect(result == nil)
            #expect(loop.health.submissionsRefused == 1)

            probe.release()
            #expect(await BusTestSupport.waitUntil { probe.recorded.count == Self.capacity })
            #expect(await BusTestSupport.stopAndJoin(loop))
            #expect(!probe.recorded.contains(-1))
        }
    }
}
