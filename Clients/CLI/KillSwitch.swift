import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TradewindDaemonKit

/// Options shared by `tradewind kill` and `tradewind resume`.
struct ControlOptions: ParsableArguments {
    @Option(help: "The risk manager's HTTP address.")
    var url = "http://127.0.0.1:9103"

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

    /// POSTs to `path` with the bearer token and prints the risk manager's answer; non-2xx fails.
    func post(_ path: String, defaultReason: String) async throws {
        var components = URLComponents(string: url + path)
        components?.queryItems = [URLQueryItem(name: "reason", value: reason ?? defaultReason)]
        guard let target = components?.url else { throw ValidationError("bad --url \(url)") }
        var request = URLRequest(url: target, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("Bearer \(try token())", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
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
        try await options.post("/v1/kill", defaultReason: "kill switch (tradewind CLI)")
    }
}

/// `tradewind resume`: release the kill switch.
struct Resume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Release the kill switch and resume trading.")

    @OptionGroup var options: ControlOptions

    func run() async throws {
        try await options.post("/v1/resume", defaultReason: "resumed (tradewind CLI)")
    }
}
