import Foundation
import Logging
import ServiceLifecycle
import Testing
@testable import TradewindDaemonKit

@Suite(.serialized) struct LifecycleTests {
    @Test func threadedServiceStopsAndJoinsOnGracefulShutdown() async throws {
        let loop = FakeLoopThread()
        let group = ServiceGroup(services: [loop.service()], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while !loop.events.contains("start") { try await Task.sleep(for: .milliseconds(5)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(loop.events == ["start", "stop", "exited", "joined"])
    }

    @Test func threadedServiceFailsWhenItsThreadEndsByItself() async throws {
        let loop = FakeLoopThread(dieAfter: .milliseconds(50))
        let runner = DaemonRunner(services: [loop.service()], logger: Logger(label: "test"))
        await #expect(throws: ThreadedServiceError.exitedEarly(name: "fake-loop")) { try await runner.run() }
    }

    @Test func threadedServiceStartFailureFailsTheRunner() async throws {
        struct BindFailed: Error {}
        let service = ThreadedService(name: "bus", start: { throw BindFailed() }, stop: {}, join: {})
        let runner = DaemonRunner(services: [service], logger: Logger(label: "test"))
        await #expect(throws: BindFailed.self) { try await runner.run() }
    }

    @Test func runnerShutsDownGracefullyOnSIGTERM() async throws {
        let loop = FakeLoopThread()
        let info = DaemonInfo(name: "test", version: "0", pubEndpoint: "ipc://x", subscriptions: [], http: "127.0.0.1:0")
        let server = DaemonHTTPServer(host: "127.0.0.1", port: 0, info: info, metrics: MetricsBootstrap(), logger: Logger(label: "test"))
        let runner = DaemonRunner(services: [server, loop.service()], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await runner.run() }
            let port = await server.boundPort()
            #expect(try await HTTPTestClient(port: port).send("/health").status == 200)
            kill(getpid(), SIGTERM)
            try await tasks.waitForAll()
        }
        #expect(loop.events == ["start", "stop", "exited", "joined"])
    }

    @Test func stateSnapshotHandsTheLatestValueAcrossThreads() async {
        let snapshot = StateSnapshot([String: Int]())
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<100 {
                group.addTask { snapshot.update { $0["k\(index % 10)", default: 0] += 1 } }
            }
        }
        #expect(snapshot.read().values.reduce(0, +) == 100)
        snapshot.publish(["x": 1])
        #expect(snapshot.read() == ["x": 1])
    }
}
