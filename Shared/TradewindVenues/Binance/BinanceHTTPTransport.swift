import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP answer: status, the headers the client uses, and the body.
struct BinanceHTTPResponse: Sendable {
    var status: Int
    var retryAfterSeconds: Int64?
    var body: Data
}

/// A single URLSession (libcurl on Linux) with kept-alive connections, shared by every request
/// of one client, so sequential requests reuse a few connections instead of opening new ones.
///
/// FoundationNetworking truncates session timeouts to whole seconds (0.25 s times out at once)
/// and ignores `URLRequest.timeoutInterval`, so the request timeout is enforced here: the
/// request races a timer and is cancelled when the timer wins; the session's own timeout, a
/// second or more beyond it, is only a backstop.
final class BinanceHTTPTransport: Sendable {
    private let session: URLSession
    private let timeoutNs: UInt64

    init(requestTimeoutMs: Int, maxConnectionsPerHost: Int) {
        timeoutNs = UInt64(requestTimeoutMs) * 1_000_000
        let backstop = TimeInterval(requestTimeoutMs / 1_000 + 2)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maxConnectionsPerHost
        configuration.timeoutIntervalForRequest = backstop
        configuration.timeoutIntervalForResource = backstop
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Sends one request; transport failures come back classified by whether anything was sent.
    func send(
        method: String, url: URL, headers: [String: String], body: Data?
    ) async throws(BinanceFailure) -> BinanceHTTPResponse {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData)
        request.httpMethod = method
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        request.httpBody = body
        let data: Data
        let response: URLResponse
        switch await exchange(request) {
        case .answered(let answer):
            (data, response) = answer
        case .failed(let error as URLError):
            throw Self.failure(error)
        case .failed(let error):
            throw .connectionLost("\(error)")
        case .timedOut:
            throw .timedOut("no answer within \(timeoutNs / 1_000_000) ms")
        }
        guard let http = response as? HTTPURLResponse else {
            throw .malformedResponse("not an HTTP response")
        }
        let retryAfter = (http.value(forHTTPHeaderField: "Retry-After"))
            .flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
        return BinanceHTTPResponse(status: http.statusCode, retryAfterSeconds: retryAfter, body: data)
    }

    private enum Exchange: Sendable {
        case answered((Data, URLResponse))
        case failed(any Error)
        case timedOut
    }

    /// The request's answer or failure, or `.timedOut` once the timeout elapses (the request is
    /// then cancelled).
    private func exchange(_ request: URLRequest) async -> Exchange {
        let session = session
        let timeoutNs = timeoutNs
        return await withTaskGroup(of: Exchange.self) { group in
            group.addTask {
                do {
                    return .answered(try await session.data(for: request))
                } catch {
                    return .failed(error)
                }
            }
            group.addTask {
                do {
                    try await Task.sleep(nanoseconds: timeoutNs)
                    return .timedOut
                } catch {
                    return .failed(CancellationError())
                }
            }
            let first = await group.next() ?? .timedOut
            group.cancelAll()
            return first
        }
    }

    private static func failure(_ error: URLError) -> BinanceFailure {
        let detail = "URLError \(error.code.rawValue) \(error.localizedDescription)"
        switch error.code {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet,
             .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
             .clientCertificateRequired, .cannotLoadFromNetwork, .badURL, .unsupportedURL:
            return .connectFailed(detail)
        case .timedOut:
            return .timedOut(detail)
        default:
            return .connectionLost(detail)
        }
    }
}
