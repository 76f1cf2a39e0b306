import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The daemon's HTTP endpoint (a ServiceLifecycle `Service`): `/health`, `/ready`, `/metrics`, `/v1/info`
/// and daemon routes, with JSON everywhere and 404 JSON for unknown paths.
public struct DaemonHTTPServer: Service, CustomStringConvertible {
    /// The largest request body a route receives.
    public static let maximumBodySize = 1 << 20

    public let host: String
    /// The configured port; 0 picks a free one (see ``boundPort()``).
    public let port: Int
    public private(set) var info: DaemonInfo
    private var readinessChecks: [ReadinessCheck] = []
    private var routes: [DaemonRoute] = []
    private let metrics: MetricsBootstrap
    private let logger: Logger
    private let controlToken: String?
    private let listening = ListeningPort()

    public var description: String { "DaemonHTTPServer(\(info.name) \(host):\(port))" }

    /// A server on `host:port` describing itself with `info`; `controlToken` guards routes added with
    /// `requiresToken: true` (absent: those routes answer 403).
    public init(
        host: String,
        port: Int,
        info: DaemonInfo,
        metrics: MetricsBootstrap = .shared,
        logger: Logger,
        controlToken: String? = nil
    ) {
        self.host = host
        self.port = port
        self.info = info
        self.metrics = metrics
        self.logger = logger
        self.controlToken = controlToken
    }

    /// Adds a condition that `/ready` reports; `/ready` answers 503 while any fails.
    public mutating func addReadinessCheck(_ check: ReadinessCheck) {
        readinessChecks.append(check)
    }

    /// Adds a condition that `/ready` reports, evaluated by `evaluate`.
    public mutating func addReadinessCheck(
        _ name: String,
        _ evaluate: @escaping @Sendable () -> (ok: Bool, detail: String)
    ) {
        readinessChecks.append(ReadinessCheck(name: name, evaluate: evaluate))
    }

    /// What `/ready` would say now, leaving out the checks named in `excluding`.
    public func readiness(excluding: Set<String> = []) -> ReadinessReport {
        ReadinessReport(evaluating: readinessChecks.filter { !excluding.contains($0.name) })
    }

    /// Adds `GET path` answering the JSON encoding of what `body` returns (a state view such as `/v1/positions`).
    public mutating func addJSONRoute<T: Encodable & Sendable>(path: String, _ body: @escaping @Sendable () async throws -> T) {
        addRoute(.get, path: path) { _ in try .json(try await body()) }
    }

    /// Adds a route with full control of the request and response; with `requiresToken`, the request
    /// must carry `Authorization: Bearer <controlToken>` (401 otherwise).
    public mutating func addRoute(
        _ method: DaemonHTTPMethod,
        path: String,
        requiresToken: Bool = false,
        _ handler: @escaping @Sendable (DaemonHTTPRequest) async throws -> DaemonHTTPResponse
    ) {
        routes.append(DaemonRoute(method: method, path: path, requiresToken: requiresToken, handler: handler))
    }

    /// Waits until the server listens and returns the bound port.
    public func boundPort() async -> Int {
        await listening.wait()
    }

    /// Serves until graceful shutdown or cancellation.
    public func run() async throws {
        let (listening, logger, host) = (self.listening, self.logger, self.host)
        let app = Application(
            router: buildRouter(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: info.name),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                listening.set(port)
                // with http_port 0 this line is how a supervisor (the test harness) learns the port
                logger.info("http listening", metadata: ["host": "\(host)", "port": "\(port)"])
            },
            logger: logger
        )
        try await app.run()
    }

    private func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware<BasicRequestContext>(logger: logger))
        let (info, checks, metrics, listening, host) = (self.info, readinessChecks, self.metrics, self.listening, self.host)
        router.get("/health") { _, _ in
            try Self.response(.json(["status": "ok", "service": info.name]))
        }
        router.get("/ready") { _, _ in
            let report = ReadinessReport(evaluating: checks)
            return try Self.response(.json(report, status: report.ready ? 200 : 503))
        }
        let readiness = ReadinessGauges(checks: checks, registry: metrics.registry)
        router.get("/metrics") { _, _ in
            readiness.update()
            return Self.response(
                DaemonHTTPResponse(contentType: "text/plain; version=0.0.4", body: Array(metrics.prometheusText().utf8))
            )
        }
        router.get("/v1/info") { _, _ in
            var current = info
            if let port = listening.current { current.http = "\(host):\(port)" }
            return try Self.response(.json(current))
        }
        for route in routes {
            let token = controlToken
            router.on(RouterPath(route.path), method: HTTPRequest.Method(rawValue: route.method.rawValue)!) { request, _ in
                var request = request
                let exchange = DaemonHTTPRequest(
                    method: route.method.rawValue,
                    path: request.uri.path,
                    query: Dictionary(
                        request.uri.queryParameters.map { (String($0.key), String($0.value)) },
                        uniquingKeysWith: { _, last in last }
                    ),
                    headers: Dictionary(
                        request.headers.map { ($0.name.canonicalName, $0.value) },
                        uniquingKeysWith: { first, next in "\(first), \(next)" }
                    ),
                    body: Array(buffer: try await request.collectBody(upTo: Self.maximumBodySize))
                )
                if route.requiresToken, let denial = BearerToken.check(exchange.headers["authorization"], expected: token) {
                    return Self.response(denial)
                }
                return Self.response(try await route.handler(exchange))
            }
        }
        return router
    }

    /// Converts a kit response to a Hummingbird response.
    static func response(_ response: DaemonHTTPResponse) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = response.contentType
        return Response(
            status: HTTPResponse.Status(code: response.status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body))
        )
    }
}
