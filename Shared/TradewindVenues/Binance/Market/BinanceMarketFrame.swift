import Foundation
import TradewindCore

/// What one text frame of a combined market stream (`/stream?streams=…`) says, exactly: prices and
/// sizes are parsed from Binance's decimal strings into fixed point, never through a binary float.
/// Every event is stamped with the local receive time (the order the suite processes them in, and
/// what a recorded dataset replays by); the exchange's time rides along for feed-latency figures.
public enum BinanceMarketFrame: Sendable, Hashable {
    /// `<symbol>@bookTicker`: best bid and ask. The stream has no event time: `timeNs` is the local
    /// receive time the decoder was given; `updateId` is the book's update id.
    case quote(Quote, updateId: Int64)
    /// `<symbol>@trade` at the local receive time; `exchangeTimeNs` is its trade time `T`.
    case trade(Trade, exchangeTimeNs: Int64)
    /// `<symbol>@depth[@100ms]` at the local receive time; `exchangeTimeNs` is its event time `E`.
    case depth(InstrumentId, DepthDiff, exchangeTimeNs: Int64)
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
    private let decoder = JSONDecoder()

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
    public func decode(_ frame: some Collection<UInt8> & Sendable, receivedNs: Int64) throws(BinanceFrameError) -> BinanceMarketFrame {
        let envelope: Envelope
        do {
            envelope = try decoder.decode(Envelope.self, from: Data(frame))
        } catch let error as FrameFailure {
            throw error.error
        } catch let DecodingError.dataCorrupted(context) {
            throw .malformedJSON(context.debugDescription)
        } catch {
            throw .badField("\(error)")
        }
        switch envelope.body {
        case .reply(let id): return .reply(id: id)
        case .error(let code, let message): return .error(code: code, message: message)
        case .shutdown(let timeMs): return .serverShutdown(eventTimeNs: Self.ns(ms: timeMs))
        case .bookTicker(let body):
            let instrument = try instrument(body.s, stream: envelope.stream)
            let quote = Quote(
                instrument: instrument, bid: try Self.number(body.b, "b"), bidSize: try Self.number(body.B, "B"),
                ask: try Self.number(body.a, "a"), askSize: try Self.number(body.A, "A"), timeNs: receivedNs)
            return .quote(quote, updateId: body.u)
        case .trade(let body):
            let instrument = try instrument(body.s, stream: envelope.stream)
            let trade = Trade(
                instrument: instrument, price: try Self.number(body.p, "p"), size: try Self.number(body.q, "q"),
                aggressor: body.m ? .sell : .buy, tradeId: String(body.t), timeNs: receivedNs)
            return .trade(trade, exchangeTimeNs: Self.ns(ms: body.T))
        case .depth(let body):
            let instrument = try instrument(body.s, stream: envelope.stream)
            guard body.U <= body.u else { throw .badField("depth update ids U \(body.U) > u \(body.u)") }
            let diff = DepthDiff(
                firstUpdateId: body.U, finalUpdateId: body.u, bids: try Self.levels(body.b, "b"), asks: try Self.levels(body.a, "a"),
                timeNs: receivedNs)
            return .depth(instrument, diff, exchangeTimeNs: Self.ns(ms: body.E))
        }
    }

    /// Decodes a REST depth snapshot body received at `receivedNs`.
    public func decodeSnapshot(_ body: some Collection<UInt8> & Sendable, receivedNs: Int64) throws(BinanceFrameError) -> DepthSnapshot {
        let snapshot: SnapshotBody
        do {
            snapshot = try decoder.decode(SnapshotBody.self, from: Data(body))
        } catch {
            throw .malformedJSON("depth snapshot: \(error)")
        }
        return DepthSnapshot(
            lastUpdateId: snapshot.lastUpdateId, bids: try Self.levels(snapshot.bids, "bids"), asks: try Self.levels(snapshot.asks, "asks"),
            timeNs: receivedNs)
    }

    private func instrument(_ symbol: String, stream: String) throws(BinanceFrameError) -> InstrumentId {
        guard let instrument = instruments[symbol.uppercased()] else { throw .unknownStream(stream.isEmpty ? symbol : stream) }
        return instrument
    }

    static func ns(ms: Int64) -> Int64 { ms.multipliedReportingOverflow(by: 1_000_000).partialValue }

    static func number<Unit>(_ text: String, _ field: String) throws(BinanceFrameError) -> FixedPoint<Unit> {
        guard let value = try? FixedPoint<Unit>(parsing: text), value >= .zero else { throw .badNumber(field: field, value: text) }
        return value
    }

    static func levels(_ pairs: [[String]], _ field: String) throws(BinanceFrameError) -> [BookLevel] {
        var levels: [BookLevel] = []
        levels.reserveCapacity(pairs.count)
        for pair in pairs {
            guard pair.count >= 2 else { throw .badField("\(field): a level needs [price, size]") }
            levels.append(BookLevel(price: try number(pair[0], field), size: try number(pair[1], field)))
        }
        return levels
    }
}

// MARK: - Wire shapes

private struct FrameFailure: Error { var error: BinanceFrameError }

private struct BookTickerBody: Decodable { var u: Int64; var s: String; var b: String; var B: String; var a: String; var A: String }
private struct TradeBody: Decodable { var E: Int64; var s: String; var t: Int64; var p: String; var q: String; var T: Int64; var m: Bool }
private struct DepthBody: Decodable { var E: Int64; var s: String; var U: UInt64; var u: UInt64; var b: [[String]]; var a: [[String]] }
private struct SnapshotBody: Decodable { var lastUpdateId: UInt64; var bids: [[String]]; var asks: [[String]] }
private struct EventHead: Decodable { var e: String?; var E: Int64? }
private struct ErrorBody: Decodable { var code: Int; var msg: String }

/// `{"stream": name, "data": {...}}`, a raw-stream event, `{"result": …, "id": n}` or `{"error": …}`.
private struct Envelope: Decodable {
    enum Body {
        case bookTicker(BookTickerBody), trade(TradeBody), depth(DepthBody), shutdown(Int64), reply(Int64), error(Int, String)
    }

    var stream: String
    var body: Body

    enum Keys: String, CodingKey { case stream, data, id, result, error, code, msg }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if let error = try container.decodeIfPresent(ErrorBody.self, forKey: .error) {
            stream = ""
            body = .error(error.code, error.msg)
            return
        }
        if container.contains(.id), !container.contains(.data) {
            stream = ""
            body = .reply((try? container.decode(Int64.self, forKey: .id)) ?? 0)
            return
        }
        guard container.contains(.data) else { throw FrameFailure(error: .badField("no data, result or error")) }
        stream = try container.decode(String.self, forKey: .stream)
        // the stream name says what `data` holds: decode it once, as that
        if stream.hasSuffix("@bookTicker") {
            body = .bookTicker(try container.decode(BookTickerBody.self, forKey: .data))
        } else if stream.hasSuffix("@trade") {
            body = .trade(try container.decode(TradeBody.self, forKey: .data))
        } else if stream.contains("@depth") {
            body = .depth(try container.decode(DepthBody.self, forKey: .data))
        } else if let head = try? container.decode(EventHead.self, forKey: .data), head.e == "serverShutdown" || stream.hasSuffix("serverShutdown") {
            body = .shutdown(head.E ?? 0)
        } else {
            throw FrameFailure(error: .unknownStream(stream))
        }
    }
}
