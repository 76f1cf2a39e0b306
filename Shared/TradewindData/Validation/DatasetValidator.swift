import TradewindCore

/// The checks of `tradewind data validate` as a state machine over a dataset's records, in order:
/// `apply` each record, `readFailed` when the reader stops, `report` at the end. Pure: it keeps
/// per instrument the last times, the book update number, the book's levels and the trade ids.
public struct DatasetValidator {
    public struct Options: Sendable, Hashable {
        /// A longer silence of one instrument fails `time_gap`; 0 turns the check off.
        public var maxGapNs: Int64
        /// Examples kept per check.
        public var examples: Int

        public init(maxGapNs: Int64 = 60_000_000_000, examples: Int = 10) {
            self.maxGapNs = maxGapNs
            self.examples = examples
        }
    }

    private struct InstrumentState {
        /// Last time per stream kind: quote, trade, book, bar.
        var lastTimes = [Int64](repeating: .min, count: 4)
        var lastTimeNs: Int64?
        var lastUpdate: Int64?
        var synced = false
        var inUpdate = false
        var updateIsSnapshot = false
        var book = ValidationBook()
        var tradeIds = TradeIdSet()
    }

    private let options: Options
    private let names: [String]
    private var states: [InstrumentState]
    private var findings: [ValidationCheck: ValidationReport.Finding] = [:]
    private var books = ValidationReport.Books()
    private var records: Int64 = 0

    /// `instruments` are the manifest's ids, by index.
    public init(instruments: [String], options: Options = Options()) {
        self.options = options
        names = instruments
        states = Array(repeating: InstrumentState(), count: instruments.count)
    }

    /// Checks record number `index` (from 0).
    public mutating func apply(_ record: DatasetRecord, index: Int64) {
        records = index + 1
        let position = Int(record.instrument)
        guard states.indices.contains(position) else { return }
        checkTime(record, index: index, position)
        switch record.kind {
        case .quote:
            checkPrice(record.value0, record, index, "bid")
            checkPrice(record.value2, record, index, "ask")
            checkSize(record.value1, record, index, "bid size")
            checkSize(record.value3, record, index, "ask size")
            if record.value0 > 0, record.value2 > 0, record.value0 >= record.value2 {
                note(.crossedQuote, record, index, "\(Self.crossing(record.value0, record.value2)): bid \(Self.decimal(record.value0)) ask \(Self.decimal(record.value2))")
            }
        case .trade:
            checkPrice(record.value0, record, index, "price")
            checkSize(record.value1, record, index, "size")
            if !states[position].tradeIds.insert(record.value2) { note(.duplicateTradeId, record, index, "trade id \(record.value2) seen before") }
        case .bookLevel:
            bookLevel(record, index: index, position)
        case .bar:
            checkPrice(record.value0, record, index, "open")
            checkPrice(record.value1, record, index, "high")
            checkPrice(record.value2, record, index, "low")
            checkPrice(record.value3, record, index, "close")
        case .barContinuation:
            if record.value0 < 0 { note(.nonPositiveSize, record, index, "bar volume \(Self.decimal(record.value0))") }
        }
    }

    /// The reader stopped at record `index` with `error`: out-of-order times fail `monotonic_time`,
    /// anything else `unreadable`; nothing after it was checked.
    public mutating func readFailed(_ error: DatasetError, index: Int64) {
        let check: ValidationCheck
        var timeNs: Int64 = 0
        if case .outOfOrder(_, _, let time, _) = error {
            check = .monotonicTime
            timeNs = time
        } else {
            check = .unreadable
        }
        add(check, ValidationReport.Example(record: index, timeNs: timeNs, instrument: "", detail: "\(error)"))
    }

    /// The report; `incomplete` fires for a dataset whose writer never finished.
    public func report(dataset: String, manifest: DatasetManifest) -> ValidationReport {
        var findings = findings
        if !manifest.complete {
            var finding = ValidationReport.Finding()
            finding.count = 1
            finding.examples = [ValidationReport.Example(record: records, timeNs: manifest.timeRange.lastNs, instrument: "", detail: "manifest.json says complete: false")]
            findings[.incomplete] = finding
        }
        return ValidationReport(
            dataset: dataset, contentHash: manifest.contentHash, records: records, maxGapMs: options.maxGapNs / 1_000_000,
            checks: findings, books: books)
    }

    private mutating func checkTime(_ record: DatasetRecord, index: Int64, _ position: Int) {
        let stream: Int
        switch record.kind {
        case .quote: stream = 0
        case .trade: stream = 1
        case .bookLevel: stream = 2
        case .bar, .barContinuation: stream = 3
        }
        if record.timeNs < states[position].lastTimes[stream] {
            note(.monotonicTime, record, index, "\(record.kind) time \(record.timeNs) ns is before the previous one's \(states[position].lastTimes[stream]) ns")
        }
        states[position].lastTimes[stream] = max(states[position].lastTimes[stream], record.timeNs)
        if let last = states[position].lastTimeNs, options.maxGapNs > 0, record.timeNs - last > options.maxGapNs {
            note(.timeGap, record, index, "no event for \((record.timeNs - last) / 1_000_000) ms (since \(last) ns)")
        }
        states[position].lastTimeNs = max(states[position].lastTimeNs ?? .min, record.timeNs)
    }

    private mutating func bookLevel(_ record: DatasetRecord, index: Int64, _ position: Int) {
        if record.has(DatasetRecord.Flag.firstLevel) {
            startUpdate(record, index: index, position)
        } else if !states[position].inUpdate {
            note(.bookSequence, record, index, "a book level outside an update (update \(record.value2))")
            return
        }
        if !record.has(DatasetRecord.Flag.emptyUpdate) {
            let side = record.has(DatasetRecord.Flag.ask) ? "ask" : "bid"
            checkPrice(record.value0, record, index, "\(side) level")
            if record.value1 < 0 || (record.value1 == 0 && states[position].updateIsSnapshot) {
                let why = record.value1 < 0 ? "" : " in a snapshot (0 removes a level only in a delta)"
                note(.nonPositiveSize, record, index, "\(side) level \(Self.decimal(record.value0)) size \(Self.decimal(record.value1))\(why)")
            }
            states[position].book.set(ask: record.has(DatasetRecord.Flag.ask), price: record.value0, size: record.value1)
        }
        if record.has(DatasetRecord.Flag.lastLevel) {
            states[position].inUpdate = false
            if states[position].synced, let bid = states[position].book.bestBid, let ask = states[position].book.bestAsk, bid >= ask {
                note(.crossedBook, record, index, "\(Self.crossing(bid, ask)) after update \(record.value2): best bid \(Self.decimal(bid)) best ask \(Self.decimal(ask))")
            }
        }
    }

    private mutating func startUpdate(_ record: DatasetRecord, index: Int64, _ position: Int) {
        let number = record.value2
        if let last = states[position].lastUpdate, number != last + 1 {
            note(.bookSequence, record, index, "update \(number) follows update \(last)")
        }
        let snapshot = record.has(DatasetRecord.Flag.snapshot)
        books.updates += 1
        if snapshot {
            books.snapshots += 1
            if states[position].synced { books.resyncs += 1 }
            states[position].synced = true
            states[position].book.clear()
        } else if !states[position].synced {
            note(.bookSequence, record, index, "delta update \(number) before any snapshot")
        }
        states[position].lastUpdate = number
        states[position].inUpdate = true
        states[position].updateIsSnapshot = snapshot
    }

    private mutating func checkPrice(_ units: Int64, _ record: DatasetRecord, _ index: Int64, _ name: @autoclosure () -> String) {
        if units <= 0 { note(.nonPositivePrice, record, index, "\(name()) \(Self.decimal(units))") }
    }

    private mutating func checkSize(_ units: Int64, _ record: DatasetRecord, _ index: Int64, _ name: @autoclosure () -> String) {
        if units <= 0 { note(.nonPositiveSize, record, index, "\(name()) \(Self.decimal(units))") }
    }

    private mutating func note(_ check: ValidationCheck, _ record: DatasetRecord, _ index: Int64, _ detail: String) {
        add(check, ValidationReport.Example(record: index, timeNs: record.timeNs, instrument: names[Int(record.instrument)], detail: detail))
    }

    private mutating func add(_ check: ValidationCheck, _ example: ValidationReport.Example) {
        var finding = findings[check] ?? ValidationReport.Finding()
        finding.count += 1
        if finding.examples.count < options.examples { finding.examples.append(example) }
        findings[check] = finding
    }

    private static func crossing(_ bid: Int64, _ ask: Int64) -> String { bid == ask ? "locked" : "crossed" }

    /// Units of 10^-8 as exact decimal text.
    static func decimal(_ units: Int64) -> String { Price(units: units).description }
}
