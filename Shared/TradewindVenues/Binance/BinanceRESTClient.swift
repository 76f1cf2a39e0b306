import Foundation
import Logging
import Synchronization
import TradewindCore

/// Binance Spot REST endpoints over one kept-alive HTTP session: signs requests, keeps the
/// venue clock offset (synced from `GET /api/v3/time` before the first signed request and
/// again after -1021), decodes answers exactly and classifies failures with `BinanceErrorTable`.
public final class BinanceRESTClient: Sendable {
    /// Milliseconds since the Unix epoch from the local wall clock.
    public typealias Clock = @Sendable () -> Int64

    public let configuration: BinanceConfiguration
    private let apiKey: String
    private let signer: BinanceSigner
    private let transport: BinanceHTTPTransport
    private let logger: Logger
    private let localClockMs: Clock
    private let offsetMs = Mutex<Int64?>(nil)
    private let root: String

    /// The local wall clock.
    public static let systemClockMs: Clock = { Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down)) }

    /// Validates `configuration`; `localClockMs` is injectable so tests can skew the local clock.
    public init(
        configuration: BinanceConfiguration, credentials: BinanceCredentials,
        logger: Logger = Logger(label: "tradewind.venue.binance"), localClockMs: @escaping Clock = BinanceRESTClient.systemClockMs
    ) throws(ConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        apiKey = credentials.apiKey
        signer = credentials.signer
        self.logger = logger
        self.localClockMs = localClockMs
        transport = BinanceHTTPTransport(
            requestTimeoutMs: configuration.requestTimeoutMs, maxConnectionsPerHost: configuration.maxConnectionsPerHost)
        var text = configuration.baseURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        root = text
    }

    // MARK: Clock

    /// Venue clock minus local clock from the last sync; nil before the first.
    public var clockOffsetMs: Int64? { offsetMs.withLock { $0 } }

    /// The venue's clock (`GET /api/v3/time`), in milliseconds.
    public func serverTimeMs() async throws(VenueError) -> Int64 {
        let time = try await send(.get, "/api/v3/time", [], signed: false, kind: .read, as: BinanceServerTime.self)
        return time.serverTime
    }

    /// Measures the venue clock offset as if the answer was made at the end of the round trip: our
    /// timestamps are then never ahead of the venue's clock (Binance refuses 1 s ahead with -1021),
    /// at worst one round trip behind it, which `recvWindow` absorbs. A midpoint estimate is off by
    /// up to half a round trip either way, and one slow round trip put every request ahead.
    public func synchronizeClock() async throws(VenueError) {
        let before = localClockMs()
        let server = try await serverTimeMs()
        let after = localClockMs()
        let offset = server - after
        offsetMs.withLock { $0 = offset }
        logger.info("binance clock synchronized", metadata: [
            "offset_ms": "\(offset)", "round_trip_ms": "\(after - before)",
        ])
    }

    /// The venue's time now as estimated locally, in nanoseconds.
    public func venueNowNs() -> Int64 {
        Self.nanoseconds(milliseconds: localClockMs() + (clockOffsetMs ?? 0))
    }

    /// Milliseconds to nanoseconds, saturating.
    public static func nanoseconds(milliseconds: Int64) -> Int64 {
        let (value, overflow) = milliseconds.multipliedReportingOverflow(by: 1_000_000)
        return overflow ? (milliseconds < 0 ? .min : .max) : value
    }

    // MARK: Endpoints

    /// `POST /api/v3/order` with our client order id and a FULL answer (fills included).
    public func newOrder(
        symbol: String, side: Side, type: OrderType, timeInForce: TimeInForce, quantity: Quantity, limitPrice: Price?,
        clientOrderId: String
    ) async throws(VenueError) -> BinanceNewOrderResponse {
        var params: [(String, String)] = [("symbol", symbol), ("side", BinanceSide(side).rawValue)]
        switch type {
        case .market:
            params += [("type", "MARKET"), ("quantity", quantity.description)]
        case .limit:
            guard let limitPrice else {
                throw .rejected(.invalidPrice, code: "INVALID_PRICE", message: "limit order \(clientOrderId) has no limit price")
            }
            let tif = timeInForce == .ioc ? "IOC" : "GTC"
            params += [("type", "LIMIT"), ("timeInForce", tif), ("quantity", quantity.description),
                       ("price", limitPrice.description)]
        }
        params += [("newClientOrderId", clientOrderId), ("newOrderRespType", "FULL")]
        return try await send(.post, "/api/v3/order", params, signed: true, kind: .placeOrder, as: BinanceNewOrderResponse.self)
    }

    /// `DELETE /api/v3/order` by our client order id.
    public func cancelOrder(symbol: String, clientOrderId: String) async throws(VenueError) -> BinanceCancelResponse {
        try await send(
            .delete, "/api/v3/order", [("symbol", symbol), ("origClientOrderId", clientOrderId)], signed: true,
            kind: .cancelOrder, as: BinanceCancelResponse.self)
    }

    /// `GET /api/v3/order` by our client order id.
    public func order(symbol: String, clientOrderId: String) async throws(VenueError) -> BinanceOrder {
        try await send(
            .get, "/api/v3/order", [("symbol", symbol), ("origClientOrderId", clientOrderId)], signed: true,
            kind: .read, as: BinanceOrder.self)
    }

    /// `GET /api/v3/openOrders` for one symbol.
    public func openOrders(symbol: String) async throws(VenueError) -> [BinanceOrder] {
        try await send(.get, "/api/v3/openOrders", [("symbol", symbol)], signed: true, kind: .read, as: [BinanceOrder].self)
    }

    /// `GET /api/v3/ticker/price`: the last trade price of `symbol` (public, unsigned).
    public func tickerPrice(symbol: String) async throws(VenueError) -> Price {
        try await send(.get, "/api/v3/ticker/price", [("symbol", symbol)], signed: false, kind: .read, as: BinanceTickerPrice.self)
            .price
    }

    /// `GET /api/v3/account`, without zero balances.
    public func account() async throws(VenueError) -> BinanceAccountResponse {
        try await send(
            .get, "/api/v3/account", [("omitZeroBalances", "true")], signed: true, kind: .read,
            as: BinanceAccountResponse.self)
    }

    /// `GET /api/v3/myTrades` for one symbol, narrowed by order, first trade id and/or start time.
    public func myTrades(
        symbol: String, orderId: Int64? = nil, fromId: Int64? = nil, startTimeMs: Int64? = nil, limit: Int
    ) async throws(VenueError) -> [BinanceTrade] {
        var params: [(String, String)] = [("symbol", symbol)]
        if let orderId { params.append(("orderId", String(orderId))) }
        if let fromId { params.append(("fromId", String(fromId))) }
        if let startTimeMs { params.append(("startTime", String(startTimeMs))) }
        params.append(("limit", String(limit)))
        return try await send(.get, "/api/v3/myTrades", params, signed: true, kind: .read, as: [BinanceTrade].self)
    }

    // MARK: Transport

    enum Method: String {
        case get = "GET"
        case post = "POST"
        case delete = "DELETE"
    }

    private func send<Response: Decodable>(
        _ method: Method, _ path: String, _ params: [(String, String)], signed: Bool, kind: BinanceRequestKind,
        as type: Response.Type
    ) async throws(VenueError) -> Response {
        var payload = params.map { "\($0.0)=\(Self.percentEncoded($0.1))" }
        var headers: [String: String] = [:]
        if signed {
            let timestamp = try await timestampMs()
            payload += ["recvWindow=\(configuration.recvWindowMs)", "timestamp=\(timestamp)"]
            let unsigned = payload.joined(separator: "&")
            payload.append("signature=\(signer.signature(for: unsigned))")
            headers["X-MBX-APIKEY"] = apiKey
        }
        let totalParams = payload.joined(separator: "&")
        var urlText = root + path
        var body: Data?
        switch method {
        case .get, .delete:
            if !totalParams.isEmpty { urlText += "?" + totalParams }
        case .post:
            body = Data(totalParams.utf8)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        }
        guard let url = URL(string: urlText) else {
            throw .rejected(.invalidRequest, code: "INVALID_URL", message: "cannot form a URL for \(method.rawValue) \(path)")
        }
        do throws(BinanceFailure) {
            let response = try await transport.send(method: method.rawValue, url: url, headers: headers, body: body)
            return try decode(response, as: type)
        } catch {
            throw await classify(error, method: method, path: path, kind: kind)
        }
    }

    private func decode<Response: Decodable>(
        _ response: BinanceHTTPResponse, as type: Response.Type
    ) throws(BinanceFailure) -> Response {
        guard (200..<300).contains(response.status) else {
            if let error = try? JSONDecoder().decode(BinanceErrorBody.self, from: response.body) {
                throw .http(
                    status: response.status, code: error.code, message: error.msg,
                    retryAfterSeconds: response.retryAfterSeconds)
            }
            let text = String(decoding: response.body.prefix(200), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw .http(status: response.status, code: nil, message: text, retryAfterSeconds: response.retryAfterSeconds)
        }
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw .malformedResponse("\(Response.self): \(error)")
        }
    }

    private func classify(
        _ failure: BinanceFailure, method: Method, path: String, kind: BinanceRequestKind
    ) async -> VenueError {
        let error = BinanceErrorTable.classify(failure, kind: kind)
        logger.warning("binance request failed", metadata: [
            "method": "\(method.rawValue)", "path": "\(path)", "failure": "\(failure)", "class": "\(error.kind)",
        ])
        if BinanceErrorTable.needsClockResync(failure) {
            do {
                try await synchronizeClock()
            } catch {
                logger.warning("binance clock resync failed", metadata: ["error": "\(error)"])
            }
        }
        return error
    }

    private func timestampMs() async throws(VenueError) -> Int64 {
        if let offset = clockOffsetMs { return localClockMs() + offset }
        try await synchronizeClock()
        return localClockMs() + (clockOffsetMs ?? 0)
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// RFC 3986 percent-encoding of a parameter value; the signature covers the encoded text.
    static func percentEncoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }
}
