import TradewindCore

/// What a request does, which decides how a failure of unknown outcome is classified.
public enum BinanceRequestKind: String, Sendable, Hashable, CaseIterable {
    /// Reads state; repeating it is always safe.
    case read
    /// Places an order; after an ambiguous failure the order may exist.
    case placeOrder
    /// Cancels an order; after an ambiguous failure it may be canceled.
    case cancelOrder
}

/// A failed Binance call as seen on the wire, before classification.
public enum BinanceFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The venue answered with a non-2xx status; `code`/`message` come from its
    /// `{"code":…,"msg":…}` body (nil code when the body was not one).
    case http(status: Int, code: Int?, message: String, retryAfterSeconds: Int64?)
    /// No connection was made (refused, DNS failure, TLS handshake): nothing was sent.
    case connectFailed(String)
    /// No answer within the request timeout.
    case timedOut(String)
    /// The connection broke after the request may have been sent.
    case connectionLost(String)
    /// A 2xx answer whose body is not what the API documents.
    case malformedResponse(String)

    public var description: String {
        switch self {
        case .http(let status, let code, let message, _):
            return "HTTP \(status)\(code.map { " code \($0)" } ?? ""): \(message)"
        case .connectFailed(let detail): return "connect failed: \(detail)"
        case .timedOut(let detail): return "timed out: \(detail)"
        case .connectionLost(let detail): return "connection lost: \(detail)"
        case .malformedResponse(let detail): return "malformed response: \(detail)"
        }
    }
}

/// Binance error codes and HTTP statuses mapped to `VenueError` classes, from the Spot API's
/// "Error codes" and "HTTP Return Codes" pages. Codes win over HTTP statuses, except 429/418.
/// A refusal keeps Binance's code and message and carries a stable `OrderReasonCode`.
///
/// | Failure                                                       | Class                                        |
/// |---------------------------------------------------------------|----------------------------------------------|
/// | HTTP 429, HTTP 418 (IP ban)                                   | rateLimited, `Retry-After` seconds           |
/// | -1003 TOO_MANY_REQUESTS, -1015 TOO_MANY_ORDERS                | rateLimited                                  |
/// | -1021 INVALID_TIMESTAMP                                       | transient (the client resyncs its clock)     |
/// | -1001 DISCONNECTED, -1008 SERVER_BUSY                         | transient                                    |
/// | HTTP 503 "Service Unavailable."                               | transient (not processed)                    |
/// | connection refused, DNS or TLS failure                        | transient (nothing sent)                     |
/// | -1000 UNKNOWN, -1006 UNEXPECTED_RESP, -1007 TIMEOUT, other    | unknownOutcome for orders and cancels,       |
/// | 5xx, timeouts, lost connections, malformed 2xx bodies         | transient for reads                          |
/// | -2013 NO_SUCH_ORDER                                           | notFound                                     |
/// | -2011 CANCEL_REJECTED "Unknown order sent."                   | notFound                                     |
/// | -2011 CANCEL_REJECTED (other messages)                        | rejected CANCEL_REJECTED                     |
/// | -2010 NEW_ORDER_REJECTED "Duplicate order sent."              | rejected DUPLICATE_CLIENT_ORDER_ID           |
/// | -2010 "Account has insufficient balance …"                    | rejected INSUFFICIENT_BALANCE                |
/// | -1013 filter failure                                          | rejected FILTER_FAILURE                      |
/// | -1100...-1131 parameter errors                                | rejected INVALID_PARAMETER                   |
/// | -1002/-1022/-2014/-2015 auth and signature, HTTP 401          | rejected UNAUTHORIZED                        |
/// | any other code or 4xx                                         | rejected REJECTED_AT_VENUE                   |
public enum BinanceErrorTable {
    /// The class of `failure` for a request of `kind`.
    public static func classify(_ failure: BinanceFailure, kind: BinanceRequestKind) -> VenueError {
        switch failure {
        case .connectFailed(let detail):
            return .transient(message: "connect failed: \(detail)")
        case .timedOut(let detail):
            return ambiguous("timed out: \(detail)", kind: kind)
        case .connectionLost(let detail):
            return ambiguous("connection lost: \(detail)", kind: kind)
        case .malformedResponse(let detail):
            return ambiguous("malformed response: \(detail)", kind: kind)
        case .http(let status, let code, let message, let retryAfter):
            return classify(status: status, code: code, message: message, retryAfterSeconds: retryAfter, kind: kind)
        }
    }

    /// True when the failure says our clock is off (-1021): resync before retrying.
    public static func needsClockResync(_ failure: BinanceFailure) -> Bool {
        if case .http(_, let code, _, _) = failure { return code == -1021 }
        return false
    }

    /// Binance's "Unknown order sent." message of -2011 (no such open order).
    public static let unknownOrderMessage = "Unknown order sent."

    /// Binance's -2010 message for a new order whose client order id is already open.
    public static let duplicateOrderMessage = "Duplicate order sent."

    /// The start of Binance's -2010 message for an order the account cannot pay for.
    public static let insufficientBalanceMessage = "Account has insufficient balance"

    private static func classify(
        status: Int, code: Int?, message: String, retryAfterSeconds: Int64?, kind: BinanceRequestKind
    ) -> VenueError {
        let retryAfterNs = retryAfterSeconds.map { $0.multipliedReportingOverflow(by: 1_000_000_000) }
            .map { $0.overflow ? Int64.max : $0.partialValue }
        let text = code.map { "\($0) \(message)" } ?? "HTTP \(status) \(message)"
        if status == 429 || status == 418 {
            return .rateLimited(retryAfterNs: retryAfterNs, message: text)
        }
        if let code {
            switch code {
            case -1003, -1015:
                return .rateLimited(retryAfterNs: retryAfterNs, message: text)
            case -1021, -1001, -1008:
                return .transient(message: text)
            case -1000, -1006, -1007:
                return ambiguous(text, kind: kind)
            case -2013:
                return .notFound(code: "\(code)", message: message)
            case -2011 where message == unknownOrderMessage:
                return .notFound(code: "\(code)", message: message)
            default:
                if status >= 500 { return ambiguous(text, kind: kind) }
                return .rejected(reason(code: code, message: message), code: "\(code)", message: message)
            }
        }
        if status == 503, message.hasPrefix("Service Unavailable") {
            return .transient(message: text)
        }
        if status >= 500 {
            return ambiguous(text, kind: kind)
        }
        return .rejected(status == 401 ? .unauthorized : .rejectedAtVenue, code: "HTTP \(status)", message: message)
    }

    /// The stable reason of a refusal with Binance error `code`.
    static func reason(code: Int, message: String) -> OrderReasonCode {
        switch code {
        case -2010 where message == duplicateOrderMessage: return .duplicateClientOrderId
        case -2010 where message.hasPrefix(insufficientBalanceMessage): return .insufficientBalance
        case -2011: return .cancelRejected
        case -1013: return .filterFailure
        case -1131 ... -1100: return .invalidParameter
        case -1002, -1022, -2014, -2015: return .unauthorized
        default: return .rejectedAtVenue
        }
    }

    /// The request may have taken effect: unknown for mutations, simply retryable for reads.
    private static func ambiguous(_ message: String, kind: BinanceRequestKind) -> VenueError {
        switch kind {
        case .read: return .transient(message: message)
        case .placeOrder, .cancelOrder: return .unknownOutcome(message: message)
        }
    }
}
