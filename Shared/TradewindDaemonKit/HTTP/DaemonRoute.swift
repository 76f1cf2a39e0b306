/// A daemon-provided endpoint registered on ``DaemonHTTPServer``.
struct DaemonRoute: Sendable {
    let method: DaemonHTTPMethod
    let path: String
    let requiresToken: Bool
    let handler: @Sendable (DaemonHTTPRequest) async throws -> DaemonHTTPResponse
}
