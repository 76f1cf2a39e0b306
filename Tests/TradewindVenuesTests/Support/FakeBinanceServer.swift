import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import Testing

/// Tests/fakes/fake_binance.py run as a subprocess, plus a client for its /__control/ endpoints.
final class FakeBinanceServer: Sendable {
    static let apiKey = "test-api-key-0123456789"
    static let secret = "test-secret-abcdefghijklmnopqrstuvwxyz"

    /// The server of the running suite (set by the `.fakeBinance` trait).
    @TaskLocal static var current: FakeBinanceServer?

    let port: Int
    private let process: Mutex<Process>
    private let stdin: Pipe
    private let session: URLSession

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    private init(port: Int, process: Process, stdin: Pipe) {
        self.port = port
        self.process = Mutex(process)
        self.stdin = stdin
        session = URLSession(configuration: .ephemeral)
    }

    /// Starts the server and waits for its `LISTENING <port>` line.
    static func start(prices: [String], balances: [String]) async throws -> FakeBinanceServer {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fakes/fake_binance.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--port", "0", "--api-key", apiKey, "--secret", secret,
                             "--exit-with-stdin"]
            + prices.flatMap { ["--price", $0] } + balances.flatMap { ["--balance", $0] }
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        try process.run()
        let line = try await firstLine(of: stdout.fileHandleForReading)
        guard line.hasPrefix("LISTENING "), let port = Int(line.dropFirst("LISTENING ".count)) else {
            process.terminate()
            throw FakeServerError(message: "fake_binance.py printed \(line.debugDescription) instead of LISTENING <port>")
        }
        return FakeBinanceServer(port: port, process: process, stdin: stdin)
    }

    /// Closes the server's stdin (it exits on EOF), sends SIGTERM, and reaps it.
    func terminate() {
        session.invalidateAndCancel()
        try? stdin.fileHandleForWriting.close()
        process.withLock { process in
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
    }

    private static func firstLine(of handle: FileHandle) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                var buffer = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty {
                        continuation.resume(throwing: FakeServerError(message: "fake_binance.py exited before listening"))
                        return
                    }
                    buffer.append(chunk)
                    if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        continuation.resume(returning: String(decoding: buffer[..<newline], as: UTF8.self))
                        return
                    }
                }
            }
        }
    }

    // MARK: Control

    func setPrice(_ symbol: String, _ price: String, size: String? = nil) async throws {
        var body = ["symbol": symbol, "price": price]
        body["size"] = size
        _ = try await control("POST", "set_price", body)
    }

    /// How later fills pay their fee: nil in the quote asset, "BASE" in the base asset on buys
    /// (Binance's default), another asset (e.g. "BNB") at `prices[asset + quote]`; `prices` also
    /// answer `GET /api/v3/ticker/price`.
    func setFeeAsset(_ asset: String?, prices: [String: String] = [:]) async throws {
        _ = try await control("POST", "fee_asset", ["asset": asset as Any? ?? NSNull(), "prices": prices])
    }

    /// The next `count` requests matching `path`/`method` fail with `status` (and a JSON error
    /// body when `code` is given, else `message` as text).
    func fail(
        count: Int = 1, status: Int, code: Int? = nil, message: String = "", path: String? = nil, method: String? = nil,
        retryAfter: Int? = nil, process: Bool = false, delayMs: Int = 0
    ) async throws {
        var body: [String: Any] = ["count": count, "status": status, "msg": message, "process": process, "delay_ms": delayMs]
        body["code"] = code
        body["path"] = path
        body["method"] = method
        body["retry_after"] = retryAfter
        _ = try await control("POST", "fail", body)
    }

    func externalOrder(
        symbol: String, side: String, type: String = "LIMIT", quantity: String, price: String? = nil,
        timeInForce: String? = "GTC", clientOrderId: String
    ) async throws {
        var body: [String: Any] = ["symbol": symbol, "side": side, "type": type, "quantity": quantity,
                                   "clientOrderId": clientOrderId]
        body["price"] = price
        body["timeInForce"] = timeInForce
        _ = try await control("POST", "external_order", body)
    }

    func fill(clientOrderId: String, quantity: String) async throws {
        _ = try await control("POST", "fill", ["origClientOrderId": clientOrderId, "quantity": quantity])
    }

    func setClockOffset(ms: Int) async throws {
        _ = try await control("POST", "clock", ["offset_ms": ms])
    }

    func state() async throws -> FakeBinanceState {
        try JSONDecoder().decode(FakeBinanceState.self, from: try await control("GET", "state", nil))
    }

    private func control(_ method: String, _ name: String, _ body: [String: Any]?) async throws -> Data {
        var request = URLRequest(url: baseURL.appendingPathComponent("__control/\(name)"))
        request.httpMethod = method
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse, http.statusCode == 200 else {
            throw FakeServerError(message: "control \(name) failed: \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }
}

struct FakeServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// What `GET /__control/state` reports.
struct FakeBinanceState: Decodable {
    struct Order: Decodable {
        var symbol: String
        var orderId: Int64
        var clientOrderId: String
        var status: String
        var executedQty: String
    }

    struct Balance: Decodable {
        var free: String
        var locked: String
    }

    var orders: [Order]
    var balances: [String: Balance]
    var requests: Int
    var connections: Int
    var paths: [String: Int]

    func count(_ method: String, _ path: String) -> Int { paths["\(method) \(path)"] ?? 0 }
}

/// Runs a suite against its own fake Binance server, started before its first test and
/// terminated after its last; tests read it from `FakeBinanceServer.current`.
struct FakeBinanceTrait: SuiteTrait, TestScoping {
    var prices = ["BTCUSDT=65000.00", "ETHUSDT=3000.00"]
    var balances = ["USDT=1000000", "BTC=10", "ETH=100"]

    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await FakeBinanceServer.start(prices: prices, balances: balances)
        defer { server.terminate() }
        try await FakeBinanceServer.$current.withValue(server) {
            try await function()
        }
    }
}

extension Trait where Self == FakeBinanceTrait {
    /// A fake Binance server for the suite (BTCUSDT 65000, ETHUSDT 3000; 1M USDT, 10 BTC, 100 ETH).
    static var fakeBinance: Self { FakeBinanceTrait() }
}
