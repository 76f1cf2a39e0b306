import ArgumentParser
import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TradewindDaemonKit

/// Where the suite's daemons listen, read from the same configuration the daemons read:
/// `--config FILE` (or `TRADEWIND_CONFIG`), the embedded defaults, then `TRADEWIND_*` overrides.
struct SuiteOptions: ParsableArguments {
    @Option(help: "The suite's config file (default: $TRADEWIND_CONFIG, else the embedded defaults).")
    var config: String?

    /// The configuration file in force: `--config`, else `$TRADEWIND_CONFIG`, else none (the defaults).
    func configFile() -> String? {
        var options = DaemonOptions()
        options.config = config
        return options.configFile()
    }

    /// The daemons in pipeline order, each with its section's HTTP address, endpoints and topics.
    func daemons() throws -> [DaemonAddress] {
        var options = DaemonOptions()
        options.config = config
        do {
            let suite = try SuiteConfiguration.load(configFile: options.configFile())
            return try SuiteServices.all.map { service throws(ConfigError) in try DaemonAddress(service, in: suite) }
        } catch {
            throw ValidationError("configuration: \(error)")
        }
    }

    /// The address of daemon `name` (e.g. "risk-manager").
    func daemon(_ name: String) throws -> DaemonAddress {
        guard let found = try daemons().first(where: { $0.name == name }) else {
            throw ValidationError("no daemon called \(name)")
        }
        return found
    }
}

/// One daemon of `SuiteServices` where the configuration puts it: HTTP base URL, PUB endpoint,
/// what it publishes, the endpoints it subscribes to and the ingresses it binds.
struct DaemonAddress: Sendable, Encodable {
    struct Subscription: Sendable, Encodable {
        var service: String
        var endpoint: String
        var topicPrefixes: [String]
    }

    struct IngressAddress: Sendable, Encodable {
        var name: String
        var endpoint: String
        var topicPrefixes: [String]
    }

    var name: String
    var section: String
    var executable: String
    var baseURL: String
    var httpPort: Int
    var pubEndpoint: String
    var publishes: [String]
    var subscribes: [Subscription]
    var ingresses: [IngressAddress]

    init(_ service: SuiteService, in suite: SuiteConfiguration) throws(ConfigError) {
        let common = try DaemonCommonConfiguration(section: suite.section(service.section))
        name = service.name
        section = service.section
        executable = service.executable
        // A daemon bound to every interface is reached on loopback from this host.
        let host = ["0.0.0.0", "::", "[::]"].contains(common.httpHost) ? "127.0.0.1" : common.httpHost
        baseURL = "http://\(host):\(common.httpPort)"
        httpPort = common.httpPort
        pubEndpoint = common.pubEndpoint
        publishes = service.publishes
        subscribes = try service.upstreams.map { upstream throws(ConfigError) in
            Subscription(
                service: upstream.service,
                endpoint: try DaemonCommonConfiguration(section: suite.section(upstream.section)).pubEndpoint,
                topicPrefixes: upstream.topicPrefixes)
        }
        ingresses = try service.ingresses.map { ingress throws(ConfigError) in
            IngressAddress(
                name: ingress.name, endpoint: try suite.section(ingress.section).busEndpoint(ingress.key),
                topicPrefixes: ingress.topicPrefixes)
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, section, executable, publishes, subscribes, ingresses
        case baseURL = "http_url"
        case httpPort = "http_port"
        case pubEndpoint = "pub_endpoint"
    }
}

/// HTTP calls to the daemons, with errors an operator can read.
enum DaemonHTTP {
    /// GETs `url`: the status code and body, or nil when nothing answers within `timeout`.
    /// Foundation's request timeout on Linux does not end an exchange with a process that accepted
    /// the connection and then says nothing (a stopped daemon), so the deadline is kept here; the
    /// abandoned request is cancelled.
    static func get(_ url: String, timeout: TimeInterval = 5) async -> (status: Int, body: Data)? {
        guard let target = URL(string: url) else { return nil }
        return await withCheckedContinuation { continuation in
            let answer = FirstAnswer(continuation)
            let request = Task {
                let result = try? await URLSession.shared.data(for: URLRequest(url: target, timeoutInterval: timeout))
                answer.give(result.map { ((($0.1 as? HTTPURLResponse)?.statusCode ?? 0), $0.0) })
            }
            Task {
                try? await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
                answer.give(nil)
                request.cancel()
            }
        }
    }

    /// Resumes its continuation with the first answer given; later ones are dropped.
    private final class FirstAnswer: Sendable {
        private let continuation: Mutex<CheckedContinuation<(status: Int, body: Data)?, Never>?>

        init(_ continuation: CheckedContinuation<(status: Int, body: Data)?, Never>) {
            self.continuation = Mutex(continuation)
        }

        func give(_ answer: (status: Int, body: Data)?) {
            continuation.withLock { pending in
                defer { pending = nil }
                return pending
            }?.resume(returning: answer)
        }
    }

    /// GETs a JSON object from a daemon's `path`; anything but a 200 with an object fails.
    static func object(_ daemon: DaemonAddress, _ path: String) async throws -> ConfigValue {
        let url = daemon.baseURL + path
        guard let (status, body) = await get(url) else {
            throw CLIError("\(daemon.name) does not answer at \(url) (is the suite running? `make up`)")
        }
        guard status == 200 else {
            throw CLIError("\(url) answered HTTP \(status): \(String(decoding: body, as: UTF8.self))")
        }
        guard let object = try? ConfigValue(parsingJSON: String(decoding: body, as: UTF8.self)), object.objectMembers != nil else {
            throw CLIError("\(url) did not answer a JSON object")
        }
        return object
    }
}

/// A failure reported on stderr as "tradewind: <message>", with exit code 1 (2 for bad input).
struct CLIError: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32
    init(_ message: String, exitCode: Int32 = 1) {
        description = message
        self.exitCode = exitCode
    }

    /// Prints the message and gives the exit code to throw.
    func report() -> ExitCode {
        FileHandle.standardError.write(Data("tradewind: \(description)\n".utf8))
        return ExitCode(exitCode)
    }
}

extension AsyncParsableCommand {
    /// Runs `body`, turning a `CLIError` into its message on stderr and its exit code.
    func reportingErrors(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as CLIError {
            throw error.report()
        }
    }
}

extension ParsableCommand {
    /// Runs `body`, turning a `CLIError` into its message on stderr and its exit code.
    func reportingErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as CLIError {
            throw error.report()
        }
    }
}
