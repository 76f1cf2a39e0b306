import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TradewindDaemonKit

/// Options shared by the mutating commands (`kill`, `resume`, `cancel-all`).
struct ControlOptions: ParsableArguments {
    @OptionGroup var suite: SuiteOptions

    @Option(help: "The daemon's HTTP address (default: from the configuration).")
    var url: String?

    @Option(help: "Why: recorded with the change and logged.")
    var reason: String?

    /// The control token: TRADEWIND_API_TOKEN_FILE or TRADEWIND_API_TOKEN, else the one `make up` keeps in .run/api-token.
    func token() throws -> String {
        if let token = try BearerToken.load() { return token }
        if let data = FileManager.default.contents(atPath: ".run/api-token"),
           let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            return text
        }
        throw ValidationError("no control token: set TRADEWIND_API_TOKEN or TRADEWIND_API_TOKEN_FILE (or run from the project folder after `make up`)")
    }

    /// POSTs to `daemon`'s `path` with the bearer token and prints its answer; non-2xx fails.
    func post(_ daemon: String, _ path: String, defaultReason: String, query: [URLQueryItem] = []) async throws {
        let base = try url ?? suite.daemon(daemon).baseURL
        var components = URLComponents(string: base + path)
        components?.queryItems = [URLQueryItem(name: "reason", value: reason ?? defaultReason)] + query
        guard let target = components?.url else { throw ValidationError("bad --url \(base)") }
        var request = URLRequest(url: target, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("Bearer \(try token())", forHTTPHeaderField: "Authorization")
        let data: Data, response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            FileHandle.standardError.write(Data("tradewind: \(daemon) does not answer at \(base) (is the suite running?)\n".utf8))
            throw ExitCode(1)
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        print(String(decoding: data, as: UTF8.self))
        guard (200..<300).contains(status) else {
            FileHandle.standardError.write(Data("tradewind: \(path) answered HTTP \(status)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// `tradewind kill`: engage the kill switch (halt trading, cancel every open order).
struct Kill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Engage the kill switch: halt trading and cancel every open order.")

    @OptionGroup var options: ControlOptions

    func run() async throws {
        try await options.post("risk-manager", "/v1/kill", defaultReason: "kill switch (tradewind CLI)")
    }
}

/// `tradewind resume`: release the kill switch.
struct Resume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Release the kill switch and resume trading.")

    @OptionGroup var options: ControlOptions

    func run() async throws {
        try await options.post("risk-manager", "/v1/resume", defaultReason: "resumed (tradewind CLI)")
    }
}

/// `tradewind cancel-all`: cancel every open order at the execution engine (trading stays as it is).
struct CancelAll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel-all",
        abstract: "Cancel every open order (of one instrument with --instrument); trading continues.")

    @OptionGroup var options: ControlOptions

    @Option(help: "Only this instrument's orders, e.g. SIM:BTCUSDT.")
    var instrument: String?

    func run() async throws {
        try await options.post(
            "execution-engine", "/v1/cancel-all", defaultReason: "cancel-all (tradewind CLI)",
            query: instrument.map { [URLQueryItem(name: "instrument", value: $0)] } ?? [])
    }
}
