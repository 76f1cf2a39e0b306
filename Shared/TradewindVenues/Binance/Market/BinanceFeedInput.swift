import TradewindCore

/// Turns what Binance sent (a frame, a snapshot body) into the venue-neutral events of the core's
/// `LiveMarketFeed`, the same way live (the daemon's driver) and from a recording
/// (`tradewind data normalize`), so both keep the same books.
public struct BinanceFeedInput: Sendable {
    /// A frame's meaning for the feed, with what metrics want to know about it.
    public struct Decoded: Sendable {
        public var event: LiveMarketFeed.Event
        /// The instrument and stream (`bookTicker`, `trade`, `depth`) of a market frame.
        public var instrument: InstrumentId?
        public var stream: String?
        /// Local receive time minus the exchange's event time, where the frame carries one.
        public var exchangeLatencyNs: Int64?
    }

    public let decoder: BinanceMarketDecoder

    public init(instruments: [InstrumentId]) {
        decoder = BinanceMarketDecoder(instruments: instruments)
    }

    /// A frame received at `receivedNs`; one that does not parse still proves the connection alive.
    public func frame(_ bytes: [UInt8], receivedNs: Int64) -> Result<Decoded, BinanceFrameError> {
        let frame: BinanceMarketFrame
        do {
            frame = try decoder.decode(bytes, receivedNs: receivedNs)
        } catch {
            return .failure(error)
        }
        switch frame {
        case .quote(let quote, _):
            return .success(Decoded(event: .quote(quote), instrument: quote.instrument, stream: "bookTicker"))
        case .trade(let trade):
            return .success(Decoded(
                event: .trade(trade), instrument: trade.instrument, stream: "trade", exchangeLatencyNs: trade.exchangeTimeNs.map { receivedNs - $0 }))
        case .depth(let instrument, let diff):
            return .success(Decoded(
                event: .depth(instrument, diff), instrument: instrument, stream: "depth", exchangeLatencyNs: diff.exchangeTimeNs.map { receivedNs - $0 }))
        case .serverShutdown:
            return .success(Decoded(event: .serverShutdown(timeNs: receivedNs)))
        case .reply, .error:
            return .success(Decoded(event: .unusableFrame(timeNs: receivedNs)))
        }
    }

    /// A REST depth snapshot body for `instrument`.
    public func snapshot(_ instrument: InstrumentId, body: [UInt8], receivedNs: Int64) -> Result<LiveMarketFeed.Event, BinanceFrameError> {
        do {
            return .success(.snapshot(instrument, try decoder.decodeSnapshot(body, receivedNs: receivedNs)))
        } catch {
            return .failure(error)
        }
    }
}
