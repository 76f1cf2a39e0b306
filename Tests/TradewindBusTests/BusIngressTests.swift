import Foundation
import Testing
import TradewindBus
import TradewindWire

extension BusIntegrationTests {
    /// An ingress: the loop binds a SUB socket and short-lived publishers connect to it.
    @Suite struct Ingress {
        @Test func connectingPublishersReachABoundIngressWithoutHeartbeatsOrStaleness() async throws {
            let directory = try BusTestSupport.makeSocketDirectory()
            defer { BusTestSupport.removeDirectory(directory) }
            let endpoint = "ipc://\(directory)/control"
            let handler = RecordingHandler()
            let loop = BusLoop(
                configuration: BusTestSupport.configuration(
                    service: "risk", directory: directory,
                    subscriptions: [.ingress(endpoint: endpoint, topicPrefixes: ["ctl."], name: "control")],
                    heartbeatTimeout: .milliseconds(200)),
                handler: handler, logger: BusTestSupport.logger)
            try loop.start()

            // two tools connect one after the other, each numbering from 1
            for tool in ["cli-a", "cli-b"] {
                try await BusTestSupport.onDedicatedThread {
                    let raw = try RawPublisher(endpoint: endpoint, name: tool, connect: true)
                    defer { try? raw.close() }
                    let deadline = Date().addingTimeInterval(5)
                    while handler.messages(from: tool).isEmpty, Date() < deadline {
                        try raw.send(topic: "md.quote.SIM:X", payload: PayloadFixtures.quote(), sequence: 1)
                        try raw.send(topic: BusTopic.control("kill"), payload: PayloadFixtures.control(), sequence: 1)
                        Thread.sleep(forTimeInterval: 0.01)
                    }
                }
            }
            for tool in ["cli-a", "cli-b"] {
                let received = handler.messages(from: tool)
                #expect(!received.isEmpty)
                #expect(received.allSatisfy { $0.topic == "ctl.kill" })
                guard case .control(let command)? = received.first?.payload else {
                    Issue.record("expected a control command from \(tool)")
                    continue
                }
                #expect(command.action == .kill && command.issuedBy == "ops@host")
            }
            // publishers that come and go are no upstream: no heartbeat is expected of them (so none
            // can turn stale), and their restarted numbering is no gap
            #expect(loop.health.upstreams.isEmpty)
            #expect(loop.health.staleUpstreams.isEmpty)
            #expect(loop.health.sequenceGapsTotal == 0)
            #expect(handler.snapshot.gaps.isEmpty)
            #expect(await BusTestSupport.stopAndJoin(loop))
        }
    }
}
