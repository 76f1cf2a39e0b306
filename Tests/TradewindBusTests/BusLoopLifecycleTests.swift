import Foundation
import Testing
import TradewindBus
import TradewindWire

#if canImport(Glibc)
import Glibc
#endif

extension BusIntegrationTests {
    @Suite struct Lifecycle {
        let directory: String

        init() throws { directory = try BusTestSupport.makeSocketDirectory() }

        func makeLoop(
            _ service: String, handler: RecordingHandler = RecordingHandler(), tick: Duration? = nil,
            heartbeat: Duration = .milliseconds(500)
        ) -> BusLoop {
            let subscription = BusSubscription(
                endpoint: BusTestSupport.endpoint(directory, "upstream"), topicPrefixes: ["md."], upstreamService: "upstream")
            return BusLoop(
                configuration: BusTestSupport.configuration(
                    service: service, directory: directory, subscriptions: [subscription],
                    heartbeatInterval: heartbeat, tickInterval: tick),
                handler: handler, logger: BusTestSupport.logger)
        }

        @Test func startAndStopManyTimesWithoutHangingOrLeaking() async throws {
            defer { BusTestSupport.removeDirectory(directory) }
            let descriptorsBefore = Self.count(inProcDirectory: "fd")
            let threadsBefore = Self.count(inProcDirectory: "task")
            for round in 0..<25 {
                let loop = makeLoop("churn")
                try loop.start()
                if round.isMultiple(of: 2) { loop.submit { _ in } }
                #expect(await BusTestSupport.stopAndJoin(loop, timeout: .seconds(30)), "round \(round) did not stop")
                #expect(loop.health.socketState == .stopped)
            }
            // other suites run in parallel and open their own; a leak here would be one per round (25+)
            #expect(Self.count(inProcDirectory: "fd") <= descriptorsBefore + 20, "file descriptors leaked")
            #expect(Self.count(inProcDirectory: "task") <= threadsBefore + 20, "threads leaked")
        }

        /// Entries in /proc/self/<name> (open descriptors, live threads); 0 where /proc is absent.
        static func count(inProcDirectory name: String) -> Int {
            (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/\(name)").count) ?? 0
        }

        @Test func stopWhileIdleInPollExitsTheThread() async throws {
            defer { BusTestSupport.removeDirectory(directory) }
            let loop = makeLoop("idle", heartbeat: .seconds(1))
            try loop.start()
            // the first heartbeat is out: the thread is past start-up, waiting in zmq_poll
            #expect(await BusTestSupport.waitUntil { loop.health.messagesPublished >= 1 })
            loop.stop()
            #expect(await BusTestSupport.stopAndJoin(loop, timeout: .seconds(30)), "stop is idempotent and the thread exits")
            #expect(loop.health.socketState == .stopped)
            #expect(!loop.submit { _ in })
        }

        @Test func bindFailureIsThrownFromStartAndTheThreadExits() async throws {
            defer { BusTestSupport.removeDirectory(directory) }
            let first = makeLoop("taken")
            try first.start()
            let second = makeLoop("taken")
            #expect(throws: BusError.endpointInUse(endpoint: BusTestSupport.endpoint(directory, "taken"))) {
                try second.start()
            }
            #expect(second.health.socketState == .failed)
            await second.join()

            let badTCP = BusLoop(
                configuration: BusLoopConfiguration(service: "bad", version: "t", publishEndpoint: "tcp://256.0.0.1:1"),
                handler: RecordingHandler(), logger: BusTestSupport.logger)
            #expect {
                try badTCP.start()
            } throws: { error in
                guard case .bind(let endpoint, let reason) = error as? BusError else { return false }
                return endpoint == "tcp://256.0.0.1:1" && !reason.isEmpty
            }
            await badTCP.join()
            #expect(await BusTestSupport.stopAndJoin(first))
        }

        @Test func ipcBindCreatesDirectoriesReplacesStaleSocketsAndRefusesOtherFiles() async throws {
            defer { BusTestSupport.removeDirectory(directory) }
            let nested = BusLoop(
                configuration: BusLoopConfiguration(
                    service: "nested", version: "t", publishEndpoint: "ipc://\(directory)/a/b/nested.pub"),
                handler: RecordingHandler(), logger: BusTestSupport.logger)
            try nested.start()
            #expect(await BusTestSupport.stopAndJoin(nested))

            let stalePath = "\(directory)/stale.pub"
            try makeStaleUnixSocket(at: stalePath)
            let replacing = BusLoop(
                configuration: BusLoopConfiguration(service: "stale", version: "t", publishEndpoint: "ipc://\(stalePath)"),
                handler: RecordingHandler(), logger: BusTestSupport.logger)
            try replacing.start()
            #expect(await BusTestSupport.stopAndJoin(replacing))

            let regularPath = "\(directory)/regular.pub"
            _ = FileManager.default.createFile(atPath: regularPath, contents: Data("keep".utf8))
            let refused = BusLoop(
                configuration: BusLoopConfiguration(service: "file", version: "t", publishEndpoint: "ipc://\(regularPath)"),
                handler: RecordingHandler(), logger: BusTestSupport.logger)
            #expect(throws: BusError.self) { try refused.start() }
            #expect(FileManager.default.contents(atPath: regularPath) == Data("keep".utf8))
        }

        @Test func startTwiceAndStartAfterStopAreRejected() async throws {
            defer { BusTestSupport.removeDirectory(directory) }
            let loop = makeLoop("twice")
            try loop.start()
            #expect(throws: BusError.alreadyStarted(service: "twice")) { try loop.start() }
            #expect(await BusTestSupport.stopAndJoin(loop))

            let neverStarted = makeLoop("never")
            neverStarted.stop()
            await neverStarted.join()
            #expect(throws: BusError.self) { try neverStarted.start() }
        }

        @Test func submittedWorkAndTicksRunOnTheLoopThread() async throws {
            defer { BusTestSupport.removeDirectory(directory) }
            let handler = RecordingHandler()
            let loop = makeLoop("worker", handler: handler, tick: .milliseconds(20))
            try loop.start()
            let seenThreads = SeenThreads()
            #expect(loop.submit { context in
                seenThreads.record(ObjectIdentifier(Thread.current))
                context.publish(topic: BusTopic.riskState, payload: PayloadFixtures.all()[8].payload, eventTimeNs: context.nowNs)
            })
            #expect(await BusTestSupport.waitUntil { handler.snapshot.ticks.count >= 5 && !seenThreads.threads.isEmpty })
            #expect(seenThreads.threads.count == 1)
            #expect(Set(handler.snapshot.tickThreads + seenThreads.threads).count == 1)
            #expect(handler.snapshot.started)
            #expect(loop.health.messagesPublished >= 2)
            #expect(await BusTestSupport.stopAndJoin(loop))
        }

        @Test func publishRejectsTopicOfAnotherFamilyWithoutSpendingASequence() async throws {
            defer { BusTestSupport.removeDirectory(directory) }
            let endpoint = BusTestSupport.endpoint(directory, "direct")
            let sequences = try await BusTestSupport.onDedicatedThread { () -> [UInt64] in
                let context = try ZMQContext()
                let socket = try ZMQSocket(context: context, kind: .publisher)
                try socket.bind(endpoint)
                let publisher = BusPublisher(publisher: "direct", socket: socket)
                var sequences: [UInt64] = []
                sequences.append(try publisher.publish(topic: "md.quote.X", payload: PayloadFixtures.quote(), eventTimeNs: 1).sequence)
                #expect(throws: BusError.topicPayloadMismatch(topic: "md.quote.X", payload: "executionReport")) {
                    try publisher.publish(topic: "md.quote.X", payload: PayloadFixtures.executionReport(), eventTimeNs: 2)
                }
                sequences.append(try publisher.publish(topic: "exec.report.X", payload: PayloadFixtures.executionReport(), eventTimeNs: 3).sequence)
                sequences.append(try publisher.publish(topic: "hb.direct", payload: PayloadFixtures.heartbeat(service: "direct"), eventTimeNs: 4).sequence)
                socket.close()
                try context.terminate()
                return sequences
            }
            #expect(sequences == [1, 2, 3])
        }

        /// Leaves a Unix socket file with no listener behind, as a crashed daemon would.
        func makeStaleUnixSocket(at path: String) throws {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            #expect(fd >= 0)
            defer { close(fd) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                let bytes = Array(path.utf8)
                raw.copyBytes(from: bytes)
                raw[bytes.count] = 0
            }
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            #expect(rc == 0)
        }
    }
}
