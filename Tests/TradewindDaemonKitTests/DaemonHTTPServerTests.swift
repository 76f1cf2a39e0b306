import CoreMetrics
import Foundation
import Logging
import Testing
@testable import TradewindDaemonKit

@Suite struct DaemonHTTPServerTests {
    struct Position: Codable, Sendable {
        var instrument: String
        var netQuantity: String

        enum CodingKeys: String, CodingKey {
            case instrument
            case netQuantity = "net_quantity"
        }
    }

    private func makeServer(heartbeatFresh: StateSnapshot<Bool>, metrics: MetricsBootstrap) -> DaemonHTTPServer {
        let info = DaemonInfo(
            name: "risk-manager",
            version: "0.1.0",
            pubEndpoint: "ipc://.run/bus/risk-manager.pub",
            subscriptions: [.init(endpoint: "ipc://.run/bus/signal-bridge.pub", topicPrefixes: ["intent."], service: "signal-bridge")],
            http: "127.0.0.1:0",
            startedAt: "2026-01-01T00:00:00.000000Z"
        )
        var server = DaemonHTTPServer(host: "127.0.0.1", port: 0, info: info, metrics: metrics, logger: Logger(label: "test"), controlToken: "s3cret")
        server.addReadinessCheck("database") { (true, "connected") }
        server.addReadinessCheck("upstream_heartbeats") {
            heartbeatFresh.read() ? (true, "fresh") : (false, "signal-bridge silent for 4s")
        }
        server.addJSONRoute(path: "/v1/positions") { [Position(instrument: "SIM:BTCUSDT", netQuantity: "0.01")] }
        server.addRoute(.post, path: "/v1/kill", requiresToken: true) { _ in try .json(["trading_state": "HALTED"]) }
        server.addJSONRoute(path: "/v1/broken") { () throws -> [String] in throw CancellationError() }
        return server
    }

    /// Runs `body` against a live server on a free port, then stops the server.
    private func withServer(
        _ server: DaemonHTTPServer,
        _ body: @Sendable (HTTPTestClient) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let client = HTTPTestClient(port: await server.boundPort())
            do {
                try await body(client)
            } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
        }
    }

    @Test func servesHealthReadyMetricsInfoAndDaemonRoutes() async throws {
        let fresh = StateSnapshot(true)
        let metrics = MetricsBootstrap()
        Counter(label: "tradewind_messages_in_total", factory: metrics.factory).increment()
        try await withServer(makeServer(heartbeatFresh: fresh, metrics: metrics)) { client in
            let health = try await client.send("/health")
            #expect(health.status == 200)
            #expect(try health.json() as NSDictionary == ["status": "ok", "service": "risk-manager"])

            let ready = try await client.send("/ready")
            #expect(ready.status == 200)
            #expect(try ready.json()["ready"] as? Bool == true)

            fresh.publish(false)
            let notReady = try await client.send("/ready")
            #expect(notReady.status == 503)
            let body = try notReady.json()
            #expect(body["ready"] as? Bool == false)
            let checks = try #require(body["checks"] as? [String: [String: Any]])
            #expect(checks["upstream_heartbeats"]?["ok"] as? Bool == false)
            #expect(checks["upstream_heartbeats"]?["detail"] as? String == "signal-bridge silent for 4s")
            #expect(checks["database"]?["ok"] as? Bool == true)

            let metricsReply = try await client.send("/metrics")
            #expect(metricsReply.status == 200)
            #expect(metricsReply.contentType == "text/plain; version=0.0.4")
            #expect(metricsReply.text.contains("tradewind_messages_in_total 1"))

            let info = try await client.send("/v1/info").json()
            #expect(info["name"] as? String == "risk-manager")
            #expect(info["pub_endpoint"] as? String == "ipc://.run/bus/risk-manager.pub")
            #expect(info["http"] as? String == "127.0.0.1:\(client.port)")
            #expect(info["started_at"] as? String == "2026-01-01T00:00:00.000000Z")
            let subscription = try #require((info["subscriptions"] as? [[String: Any]])?.first)
            #expect(subscription["topic_prefixes"] as? [String] == ["intent."])
            #expect(subscription["service"] as? String == "signal-bridge")

            let positions = try await client.send("/v1/positions")
            #expect(positions.contentType == "application/json")
            #expect(positions.text == #"[{"instrument":"SIM:BTCUSDT","net_quantity":"0.01"}]"#)
        }
    }

    @Test func unknownPathsAndFailuresAnswerJSON() async throws {
        try await withServer(makeServer(heartbeatFresh: StateSnapshot(true), metrics: MetricsBootstrap())) { client in
            let missing = try await client.send("/v1/nothing")
            #expect(missing.status == 404)
            #expect(try missing.json() as NSDictionary == ["error": "not found", "path": "/v1/nothing"])
            let broken = try await client.send("/v1/broken")
            #expect(broken.status == 500)
            #expect(try broken.json()["error"] is String)
        }
    }

    @Test func controlRoutesRequireTheBearerToken() async throws {
        try await withServer(makeServer(heartbeatFresh: StateSnapshot(true), metrics: MetricsBootstrap())) { client in
            #expect(try await client.send("POST", "/v1/kill").status == 401)
            #expect(try await client.send("POST", "/v1/kill", headers: ["Authorization": "Bearer wrong"]).status == 401)
            let allowed = try await client.send("POST", "/v1/kill", headers: ["Authorization": "Bearer s3cret"])
            #expect(allowed.status == 200)
            #expect(try allowed.json() as NSDictionary == ["trading_state": "HALTED"])
        }
    }
}
