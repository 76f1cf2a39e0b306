import ArgumentParser
import Foundation
import Synchronization
import TradewindBus
import TradewindCore
import TradewindDaemonKit
import TradewindData
import TradewindWire

/// `tradewind record --out DIR`: subscribes to the market-data daemon's topics and writes each
/// event to a canonical dataset as it arrives, flushing every second (so a crash loses at most a
/// second and leaves a readable, incomplete dataset); SIGINT, SIGTERM, --events or --seconds finish it.
struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record the market-data topics of a running suite into a canonical dataset.",
        discussion: """
            The dataset's instruments are the configuration's `instruments`; an event for another \
            instrument is dropped and counted, as is a quote, trade or book update older than the \
            event before it. Sequence gaps are counted in the manifest's `source`.
            """)

    @OptionGroup var suite: SuiteOptions

    @Option(help: "Dataset directory (created; it must not hold a dataset).")
    var out: String

    @Option(help: "Comma-separated topic prefixes.")
    var topics = [BusTopic.Prefix.quote, BusTopic.Prefix.trade, BusTopic.Prefix.book].joined(separator: ",")

    @Option(help: "Stop after this many seconds.")
    var seconds: Double?

    @Option(help: "Stop after this many events.")
    var events: Int?

    @Option(help: "Flush (write the partial block and the manifest) at least this often, in milliseconds.")
    var flushMs = 1000

    func validate() throws {
        if let events, events < 1 { throw ValidationError("--events must be at least 1") }
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be greater than 0") }
        guard (1...1000).contains(flushMs) else { throw ValidationError("--flush-ms must be within 1...1000") }
        guard prefixes.allSatisfy({ $0.hasPrefix("md.") }) else { throw ValidationError("--topics must be md.* prefixes") }
    }

    var prefixes: [String] { topics.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func run() throws {
        let configuration = try suite.configuration()
        let instruments: [Instrument]
        do {
            let catalog = try InstrumentCatalog(configuration)
            instruments = catalog.ids.map { catalog.instruments[$0]! }
        } catch {
            throw ValidationError("configuration: \(error)")
        }
        let endpoint = try suite.daemon(SuiteServices.marketData.name).pubEndpoint
        try reportingFailures {
            var session = try RecordingSession(
                directory: out, instruments: instruments,
                source: ["kind": "recorded", "endpoints": [.string(endpoint)], "topics": .array(prefixes.map(DatasetJSON.string))])
            try session.run(endpoint: endpoint, prefixes: prefixes, limit: events, seconds: seconds, flushEvery: .milliseconds(flushMs))
            print(session.summary)
        }
    }
}

/// The receive loop of `tradewind record`: one SUB socket, one writer, one thread.
struct RecordingSession {
    /// Set by SIGINT and SIGTERM; the loop finishes the dataset and returns.
    static let stopRequested = Atomic<Bool>(false)

    private let writer: DatasetWriter
    private var sequences = SequenceTracker()
    private var written = 0
    private var unknownInstrument = 0
    private var outOfOrder = 0
    private var malformed = 0
    private var gaps = 0
    private var missed: UInt64 = 0

    init(directory: String, instruments: [Instrument], source: [String: DatasetJSON]) throws(DatasetError) {
        writer = try DatasetWriter(directory: directory, instruments: instruments, source: source)
    }

    mutating func run(endpoint: String, prefixes: [String], limit: Int?, seconds: Double?, flushEvery: Duration) throws {
        signal(SIGINT) { _ in RecordingSession.stopRequested.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in RecordingSession.stopRequested.store(true, ordering: .relaxed) }
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, kind: .subscriber)
        defer { socket.close() }
        for prefix in prefixes { try socket.subscribe(prefix: prefix) }
        try socket.connect(endpoint)

        let clock = ContinuousClock()
        let deadline = seconds.map { clock.now + .milliseconds(Int64($0 * 1000)) }
        var nextFlush = clock.now + flushEvery
        while !Self.stopRequested.load(ordering: .relaxed), limit.map({ written < $0 }) ?? true {
            let now = clock.now
            if let deadline, now >= deadline { break }
            if now >= nextFlush {
                try flush()
                nextFlush = now + flushEvery
            }
            guard let multipart = try socket.receive(maxFrames: 2) else {
                usleep(1_000)
                continue
            }
            try record(multipart)
        }
        try flush()
        try writer.finish()
    }

    private mutating func record(_ multipart: ZMQMultipart) throws(DatasetError) {
        guard let message = try? BusMessageDecoder.decode(multipart, receivedAtNs: 0), let event = Self.event(message) else {
            malformed += 1
            return
        }
        let observed = sequences.observe(publisher: message.envelope.publisher, sequence: message.envelope.sequence)
        if observed.missing > 0 {
            gaps += 1
            missed += observed.missing
        }
        do throws(DatasetError) {
            try writer.append(event)
            written += 1
        } catch .unknownInstrument {
            unknownInstrument += 1
        } catch .decreasingTime {
            outOfOrder += 1
        }
    }

    private static func event(_ message: BusMessage) -> MarketEvent? {
        let timeNs = message.envelope.eventTimeNs
        switch message.payload {
        case .quote(let quote): return (try? Quote(wire: quote, timeNs: timeNs)).map(MarketEvent.quote)
        case .trade(let trade): return (try? Trade(wire: trade, timeNs: timeNs)).map(MarketEvent.trade)
        case .book(let book): return (try? BookUpdate(wire: book, timeNs: timeNs)).map(MarketEvent.book)
        case .bar(let bar): return (try? Bar(wire: bar)).map(MarketEvent.bar)
        default: return nil
        }
    }

    /// Notes the counts in the manifest's source and flushes.
    private func flush() throws(DatasetError) {
        writer.source["dropped"] = [
            "unknown_instrument": .integer(Int64(unknownInstrument)), "out_of_order": .integer(Int64(outOfOrder)),
            "malformed": .integer(Int64(malformed)),
        ]
        writer.source["sequence_gaps"] = .integer(Int64(gaps))
        writer.source["messages_missed"] = .integer(Int64(clamping: missed))
        try writer.flush()
    }

    var summary: String {
        let manifest = writer.manifest
        return "recorded \(written) events into \(writer.directory) (\(manifest.counts.quote) quotes, \(manifest.counts.trade) trades, "
            + "\(manifest.counts.bookUpdate) book updates, \(manifest.counts.bar) bars); dropped \(unknownInstrument) for unknown instruments, "
            + "\(outOfOrder) out of order, \(malformed) malformed; \(gaps) sequence gap(s), \(missed) message(s) missed"
    }
}
