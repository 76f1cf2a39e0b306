import Foundation

/// A request as daemon route handlers see it, free of the HTTP framework's types.
public struct DaemonHTTPRequest: Sendable {
    /// `GET`, `POST`, ...
    public var method: String
    public var path: String
    /// Query parameters (the last value wins for repeated names).
    public var query: [String: String]
    /// Header fields with lower-cased names.
    public var headers: [String: String]
    /// The request body (at most 1 MiB).
    public var body: [UInt8]

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

/// A route handler's answer: a status and a body, JSON unless told otherwise.
public struct DaemonHTTPResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int = 200, contentType: String = "application/json", body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// `value` encoded as JSON (sorted keys, unescaped slashes) with `status`.
    public static func json(_ value: some Encodable, status: Int = 200) throws -> DaemonHTTPResponse {
        DaemonHTTPResponse(status: status, body: Array(try DaemonHTTPResponse.encode(value)))
    }

    /// `{"error": message}` with `status`.
    public static func error(_ message: String, status: Int) -> DaemonHTTPResponse {
        DaemonHTTPResponse(status: status, body: Array("{\"error\":\(JSONEscaping.quoted(message))}".utf8))
    }

    /// Encodes `value` the way every kit endpoint does: sorted keys and unescaped slashes.
    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}

/// The HTTP methods daemon routes may use.
public enum DaemonHTTPMethod: String, Sendable, CaseIterable {
    case get = "GET"
    case post = "POST"
    case put = "PUT"
    case delete = "DELETE"
}
