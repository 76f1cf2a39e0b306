import Foundation

/// The keys every daemon section carries: its PUB endpoint, HTTP address, heartbeat timing and the
/// CPUs it may run on.
public struct DaemonCommonConfiguration: Sendable, Equatable {
    /// The ZeroMQ endpoint the daemon's PUB socket binds (`ipc://...` or `tcp://...`); a relative
    /// ipc path is resolved against the working directory, so /v1/info names a usable address.
    public var pubEndpoint: String
    /// The HTTP bind host.
    public var httpHost: String
    /// The HTTP bind port; 0 binds a free one, reported in the "http listening" log line and /v1/info.
    public var httpPort: Int
    /// How often the daemon publishes `hb.<service>`.
    public var heartbeatInterval: Duration
    /// How long without a heartbeat before an upstream counts as stale; longer than the interval.
    public var heartbeatTimeout: Duration
    /// CPUs the daemon pins itself to at start-up (`cpu_affinity`); empty: wherever the OS likes.
    public var cpuAffinity: [Int] = []

    /// The HTTP address as `host:port`.
    public var httpAddress: String { "\(httpHost):\(httpPort)" }

    /// Builds the common settings directly (tests, tools).
    public init(pubEndpoint: String, httpHost: String, httpPort: Int, heartbeatInterval: Duration, heartbeatTimeout: Duration) {
        self.pubEndpoint = pubEndpoint
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.heartbeatInterval = heartbeatInterval
        self.heartbeatTimeout = heartbeatTimeout
    }

    /// Decodes and validates the common keys of a daemon section.
    public init(section: ConfigSection) throws(ConfigError) {
        pubEndpoint = try section.busEndpoint("pub_endpoint")
        httpHost = try section.nonEmptyString("http_host")
        httpPort = try section.int("http_port", range: 0...65535)
        let intervalMilliseconds = try section.int("heartbeat_interval_ms", range: 50...1000)
        heartbeatInterval = .milliseconds(intervalMilliseconds)
        let timeoutMilliseconds = try section.int("heartbeat_timeout_ms", range: 1...600_000)
        guard timeoutMilliseconds > intervalMilliseconds else {
            throw .invalidValue(
                path: section.keyPath("heartbeat_timeout_ms"),
                value: String(timeoutMilliseconds),
                reason: "must be greater than heartbeat_interval_ms (\(intervalMilliseconds))"
            )
        }
        heartbeatTimeout = .milliseconds(timeoutMilliseconds)
        cpuAffinity = section.contains("cpu_affinity") ? try section.intList("cpu_affinity", range: 0...1023) : []
    }

    /// `ipc://relative/path` made absolute against the working directory; other endpoints unchanged.
    static func absolute(_ endpoint: String) -> String {
        let scheme = "ipc://"
        guard endpoint.hasPrefix(scheme) else { return endpoint }
        let path = String(endpoint.dropFirst(scheme.count))
        guard !path.hasPrefix("/"), !path.hasPrefix("@") else { return endpoint }
        let base = FileManager.default.currentDirectoryPath
        return scheme + URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: base, isDirectory: true)).standardizedFileURL.path
    }
}

extension ConfigSection {
    /// A ZeroMQ endpoint (`ipc://...` or `tcp://...`); a relative ipc path is made absolute
    /// against the working directory, so /v1/info names a usable address.
    public func busEndpoint(_ key: String) throws(ConfigError) -> String {
        let endpoint = try nonEmptyString(key)
        let schemes = ["ipc://", "tcp://"]
        guard let scheme = schemes.first(where: endpoint.hasPrefix), endpoint.count > scheme.count else {
            throw .invalidValue(
                path: keyPath(key),
                value: JSONEscaping.quoted(endpoint),
                reason: "must start with ipc:// or tcp:// followed by an address"
            )
        }
        return DaemonCommonConfiguration.absolute(endpoint)
    }
}
