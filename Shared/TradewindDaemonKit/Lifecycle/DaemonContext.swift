import Logging

/// Everything a daemon's main needs after a successful start-up: its validated configuration,
/// its own settings, a logger and the metrics registry.
public struct DaemonContext<Settings: Sendable>: Sendable {
    /// The executable name, e.g. `tradewind-risk-manager`.
    public let executable: String
    /// The service name used in logs, heartbeats and `/v1/info`, e.g. `risk-manager`.
    public let service: String
    /// The whole merged suite configuration (other daemons' sections give upstream endpoints).
    public let configuration: SuiteConfiguration
    /// The daemon section's common keys.
    public let common: DaemonCommonConfiguration
    /// What the daemon's `settings` closure decoded.
    public let settings: Settings
    /// A logger labelled with the service name.
    public let logger: Logger
    /// The bootstrapped metrics registry.
    public let metrics: MetricsBootstrap

    /// An HTTP server on the section's `http_host:http_port` describing this daemon in `/v1/info`.
    public func makeHTTPServer(
        version: String,
        subscriptions: [DaemonInfo.Subscription],
        controlToken: String? = nil
    ) -> DaemonHTTPServer {
        let info = DaemonInfo(
            name: executable,
            version: version,
            pubEndpoint: common.pubEndpoint,
            subscriptions: subscriptions,
            http: common.httpAddress
        )
        return DaemonHTTPServer(
            host: common.httpHost,
            port: common.httpPort,
            info: info,
            metrics: metrics,
            logger: logger,
            controlToken: controlToken
        )
    }
}
