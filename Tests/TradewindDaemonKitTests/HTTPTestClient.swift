import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A minimal HTTP client over a real socket for testing the daemon server.
struct HTTPTestClient {
    struct Reply {
        var status: Int
        var contentType: String?
        var body: Data

        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw URLError(.cannotParseResponse)
            }
            return object
        }

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    let port: Int
    private let session = URLSession(configuration: .ephemeral)

    init(port: Int) {
        self.port = port
    }

    func send(_ path: String) async throws -> Reply {
        try await send("GET", path)
    }

    func send(_ method: String, _ path: String, headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        return Reply(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"), body: data)
    }
}
