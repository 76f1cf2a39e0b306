import TradewindCore

/// What one text frame of a combined market stream (`/stream?streams=…`) says, exactly: prices and
/// sizes are parsed from Binance's decimal strings into fixed point, never through a binary float.
/// Every event is stamped with the local receive time (the order the suite processes them in, and
/// what a recorded dataset replays by); the exchange's time rides along for feed-latency figures.
public enum BinanceMarketFrame: Sendable, Hashable {
    /// `<symbol>@bookTicker`: best bid and ask. The stream has no event time: `timeNs` is the local
    /// receive time the decoder was given; `updateId` is the book's update id.
    case quote(Quote, updateId: Int64)
    /// `<symbol>@trade` at the local receive time; its `exchangeTimeNs` is the trade time `T`.
    case trade(Trade)
    /// `<symbol>@depth[@100ms]` at the local receive time; its `exchangeTimeNs` is the event time `E`.
    case depth(InstrumentId, DepthDiff)
    /// `serverShutdown`: the server will close this connection; reconnect now.
    case serverShutdown(eventTimeNs: Int64)
    /// The answer to a control message (`SUBSCRIBE`, …) with its id.
    case reply(id: Int64)
    /// An error answer to a control message.
    case error(code: Int, message: String)
}

/// Why a frame was refused. Each kind is counted apart (and logged once per kind by the host).
public enum BinanceFrameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not JSON, or not an object of the documented shape.
    case malformedJSON(String)
    /// A stream the connection did not ask for, or an unknown symbol.
    case unknownStream(String)
    /// A price or size that is not a decimal the fixed point can hold, or is negative.
    case badNumber(field: String, value: String)
    /// A field of the wrong type or missing.
    case badField(String)

    /// A stable label for metrics.
    public var kind: String {
        switch self {
        case .malformedJSON: "malformed_json"
        case .unknownStream: "unknown_stream"
        case .badNumber: "bad_number"
        case .badField: "bad_field"
        }
    }

    public var description: String {
        switch self {
        case .malformedJSON(let detail): "malformed JSON: \(detail)"
        case .unknownStream(let stream): "unknown stream \(stream)"
        case .badNumber(let field, let value): "field \(field): \(value) is not a non-negative decimal"
        case .badField(let detail): "bad field: \(detail)"
        }
    }
}

/// Decodes combined-stream frames for a fixed set of instruments (venue symbol → instrument).
public struct BinanceMarketDecoder: Sendable {
    private let instruments: [String: InstrumentId]

    /// `instruments`: the ids to accept, keyed by their venue symbol in any case ("BTCUSDT").
    public init(instruments: [InstrumentId]) {
        var bySymbol: [String: InstrumentId] = [:]
        for instrument in instruments { bySymbol[instrument.symbol.uppercased()] = instrument }
        self.instruments = bySymbol
    }

    /// The combined-stream names for the instruments: bookTicker, trade and 100 ms diff depth each.
    public var streamNames: [String] {
        instruments.keys.sorted().flatMap { symbol in
            let name = symbol.lowercased()
            return ["\(name)@bookTicker", "\(name)@trade", "\(name)@depth@100ms"]
        }
    }

    /// Decodes one frame received at `receivedNs` (local wall time).
    public func decode(_ frame: [UInt8], receivedNs: Int64) throws(BinanceFrameError) -> BinanceMarketFrame {
        do {
            return try frame.withUnsafeBufferPointer { bytes throws(JSONScanner.Failure) in
                try decode(bytes, receivedNs: receivedNs)
            }
        } catch {
            throw Self.frameError(error)
        }
    }

    /// Decodes a REST depth snapshot body received at `receivedNs`.
    public func decodeSnapshot(_ body: [UInt8], receivedNs: Int64) throws(BinanceFrameError) -> DepthSnapshot {
        do {
            return try body.withUnsafeBufferPointer { bytes throws(JSONScanner.Failure) in
                var scanner = JSONScanner(bytes)
                var lastUpdateId: UInt64?
                var bids: [BookLevel]?
                var asks: [BookLevel]?
                try scanner.object { key, scanner throws(JSONScanner.Failure) in
                    switch Key(bytes, key) {
                    case .lastUpdateId: lastUpdateId = try scanner.uint64("lastUpdateId")
                    case .bids: bids = try Self.levels(&scanner, "bids")
                    case .asks: asks = try Self.levels(&scanner, "asks")
                    default: try scanner.skipValue()
                    }
                }
                try scanner.end()
                guard let lastUpdateId, let bids, let asks else { throw .type("depth snapshot: lastUpdateId, bids and asks are required") }
                return DepthSnapshot(lastUpdateId: lastUpdateId, bids: bids, asks: asks, timeNs: receivedNs)
            }
        } catch {
            throw Self.frameError(error)
        }
    }

    private static func frameError(_ failure: JSONScanner.Failure) -> BinanceFrameError {
        switch failure {
        case .syntax(let detail, let offset): .malformedJSON("\(detail) at byte \(offset)")
        case .type(let detail): .badField(detail)
        case .refused(let error): error
        }
    }

    private func decode(_ bytes: UnsafeBufferPointer<UInt8>, receivedNs: Int64) throws(JSONScanner.Failure) -> BinanceMarketFrame {
        var scanner = JSONScanner(bytes)
        var stream: String?
        var data: Range<Int>?
        var id: Int64?
        var error: (code: Int, message: String)?
        try scanner.object { key, scanner throws(JSONScanner.Failure) in
            switch Key(bytes, key) {
            case .stream: stream = try scanner.string("stream")
            case .data: data = try scanner.skipValue()
            case .id: id = try scanner.null() ? 0 : try scanner.int64("id")
            case .error:
                var code = 0
                var message = ""
                try scanner.object { key, scanner throws(JSONScanner.Failure) in
                    switch Key(bytes, key) {
                    case .code: code = Int(try scanner.int64("code"))
                    case .msg: message = try scanner.string("msg")
                    default: try scanner.skipValue()
                    }
                }
                error = (code, message)
            default: try scanner.skipValue()
            }
        }
        try scanner.end()
        if let error { return .error(code: error.code, message: error.message) }
        guard let data else {
            guard let id else { throw .type("no data, result or error") }
            return .reply(id: id)
        }
        guard let stream else { throw .type("stream: missing") }
        var body = JSONScanner(bytes, from: data.lowerBound)
        // the stream name says what `data` holds
        if stream.hasSuffix("@bookTicker") {
            return try bookTicker(&body, bytes, stream: stream, receivedNs: receivedNs)
        } else if stream.hasSuffix("@trade") {
            return try trade(&body, bytes, stream: stream, receivedNs: receivedNs)
        } else if stream.contains("@depth") {
            return try depth(&body, bytes, stream: stream, receivedNs: receivedNs)
        } else if let shutdownNs = try? Self.shutdown(&body, bytes), shutdownNs != nil || stream.hasSuffix("serverShutdown") {
            return .serverShutdown(eventTimeNs: Self.ns(ms: shutdownNs ?? 0))
        }
        throw Self.unknown(stream)
    }

    private static func unknown(_ stream: String) -> JSONScanner.Failure { .refused(.unknownStream(stream)) }

    private func bookTicker(_ scanner: inout JSONScanner, _ bytes: UnsafeBufferPointer<UInt8>, stream: String, receivedNs: Int64) throws(JSONScanner.Failure) -> BinanceMarketFrame {
        var u: Int64?, s: String?, b: String?, bq: String?, a: String?, aq: String?
        try scanner.object { key, scanner throws(JSONScanner.Failure) in
            switch Key(bytes, key) {
            case .u: u = try scanner.int64("u")
            case .s: s = try scanner.string("s")
            case .b: b = try scanner.string("b")
            case .B: bq = try scanner.string("B")
            case .a: a = try scanner.string("a")
            case .A: aq = try scanner.string("A")
            default: try scanner.skipValue()
            }
        }
        guard let u, let s, let b, let bq, let a, let aq else { throw .type("bookTicker: u, s, b, B, a and A are required") }
        let instrument = try instrument(s, stream: stream)
        let quote = Quote(
            instrument: instrument, bid: try Self.number(b, "b"), bidSize: try Self.number(bq, "B"),
            ask: try Self.number(a, "a"), askSize: try Self.number(aq, "A"), timeNs: receivedNs)
        return .quote(quote, updateId: u)
    }

    private func trade(_ scanner: inout JSONScanner, _ bytes: UnsafeBufferPointer<UInt8>, stream: String, receivedNs: Int64) throws(JSONScanner.Failure) -> BinanceMarketFrame {
        var s: String?, t: Int64?, p: String?, q: String?, time: Int64?, m: Bool?, event: Int64?
        try scanner.object { key, scanner throws(JSONScanner.Failure) in
            switch Key(bytes, key) {
            case .E: event = try scanner.int64("E")
            case .s: s = try scanner.string("s")
            case .t: t = try scanner.int64("t")
            case .p: p = try scanner.string("p")
            case .q: q = try scanner.string("q")
            case .T: time = try scanner.int64("T")
            case .m: m = try scanner.bool("m")
            default: try scanner.skipValue()
            }
        }
        guard event != nil, let s, let t, let p, let q, let time, let m else { throw .type("trade: E, s, t, p, q, T and m are required") }
        let instrument = try instrument(s, stream: stream)
        let trade = Trade(
            instrument: instrument, price: try Self.number(p, "p"), size: try Self.number(q, "q"),
            aggressor: m ? .sell : .buy, tradeId: String(t), timeNs: receivedNs, exchangeTimeNs: Self.ns(ms: time))
        return .trade(trade)
    }

    private func depth(_ scanner: inout JSONScanner, _ bytes: UnsafeBufferPointer<UInt8>, stream: String, receivedNs: Int64) throws(JSONScanner.Failure) -> BinanceMarketFrame {
        var event: Int64?, s: String?, first: UInt64?, final: UInt64?, bids: [BookLevel]?, asks: [BookLevel]?
        try scanner.object { key, scanner throws(JSONScanner.Failure) in
            switch Key(bytes, key) {
            case .E: event = try scanner.int64("E")
            case .s: s = try scanner.string("s")
            case .U: first = try scanner.uint64("U")
            case .u: final = try scanner.uint64("u")
            case .b: bids = try Self.levels(&scanner, "b")
            case .a: asks = try Self.levels(&scanner, "a")
            default: try scanner.skipValue()
            }
        }
        guard let event, let s, let first, let final, let bids, let asks else { throw .type("depthUpdate: E, s, U, u, b and a are required") }
        let instrument = try instrument(s, stream: stream)
        guard first <= final else { throw .type("depth update ids U \(first) > u \(final)") }
        let diff = DepthDiff(
            firstUpdateId: first, finalUpdateId: final, bids: bids, asks: asks, timeNs: receivedNs, exchangeTimeNs: Self.ns(ms: event))
        return .depth(instrument, diff)
    }

    /// `{"e": "serverShutdown", "E": ms}`: its time, or nil for another event.
    private static func shutdown(_ scanner: inout JSONScanner, _ bytes: UnsafeBufferPointer<UInt8>) throws(JSONScanner.Failure) -> Int64? {
        var kind: String?, time: Int64?
        try scanner.object { key, scanner throws(JSONScanner.Failure) in
            switch Key(bytes, key) {
            case .e: kind = scanner.isString() ? try scanner.string("e") : { try? scanner.skipValue(); return nil }()
            case .E: time = try? scanner.int64("E")
            default: try scanner.skipValue()
            }
        }
        return kind == "serverShutdown" ? (time ?? 0) : nil
    }

    private func instrument(_ symbol: String, stream: String) throws(JSONScanner.Failure) -> InstrumentId {
        if let instrument = instruments[symbol] ?? instruments[symbol.uppercased()] { return instrument }
        throw Self.unknown(stream.isEmpty ? symbol : stream)
    }

    static func ns(ms: Int64) -> Int64 { ms.multipliedReportingOverflow(by: 1_000_000).partialValue }

    /// A price or size: a decimal string the fixed point holds exactly, not negative.
    static func number<Unit>(_ text: String, _ field: String) throws(JSONScanner.Failure) -> FixedPoint<Unit> {
        guard let value = try? FixedPoint<Unit>(parsing: text), value >= .zero else { throw .refused(.badNumber(field: field, value: text)) }
        return value
    }

    /// `[[price, size], ...]`.
    static func levels(_ scanner: inout JSONScanner, _ field: String) throws(JSONScanner.Failure) -> [BookLevel] {
        var levels: [BookLevel] = []
        try scanner.array { scanner throws(JSONScanner.Failure) in
            var pair: [String] = []
            try scanner.array { scanner throws(JSONScanner.Failure) in
                guard scanner.isString() else { throw .type("\(field): a level is [price, size] as strings") }
                pair.append(try scanner.string(field))
            }
            guard pair.count >= 2 else { throw .type("\(field): a level needs [price, size]") }
            levels.append(BookLevel(price: try number(pair[0], field), size: try number(pair[1], field)))
        }
        return levels
    }
}

// MARK: - Keys

/// The keys the decoder reads, recognised from their bytes without making a String.
private enum Key {
    case stream, data, id, error, code, msg, lastUpdateId, bids, asks
    case e, E, s, u, U, b, B, a, A, t, p, q, T, m
    case other

    init(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        if range.count == 1 {
            switch bytes[range.lowerBound] {
            case UInt8(ascii: "e"): self = .e
            case UInt8(ascii: "E"): self = .E
            case UInt8(ascii: "s"): self = .s
            case UInt8(ascii: "u"): self = .u
            case UInt8(ascii: "U"): self = .U
            case UInt8(ascii: "b"): self = .b
            case UInt8(ascii: "B"): self = .B
            case UInt8(ascii: "a"): self = .a
            case UInt8(ascii: "A"): self = .A
            case UInt8(ascii: "t"): self = .t
            case UInt8(ascii: "p"): self = .p
            case UInt8(ascii: "q"): self = .q
            case UInt8(ascii: "T"): self = .T
            case UInt8(ascii: "m"): self = .m
            default: self = .other
            }
            return
        }
        switch String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) {
        case "stream": self = .stream
        case "data": self = .data
        case "id": self = .id
        case "error": self = .error
        case "code": self = .code
        case "msg": self = .msg
        case "lastUpdateId": self = .lastUpdateId
        case "bids": self = .bids
        case "asks": self = .asks
        default: self = .other
        }
    }
}
