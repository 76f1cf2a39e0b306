import Foundation
import Glibc
import TradewindCore

/// Writes a canonical dataset: market events in processing order into checksummed segments, with
/// `manifest.json` rewritten on every `flush()` (`complete: false`) and by `finish()`
/// (`complete: true`). Memory stays at one block buffer however long the stream.
///
/// A crash loses at most what was appended since the last `flush()`; the dataset stays readable
/// (`DatasetReader` reads an incomplete dataset up to its last whole block).
public final class DatasetWriter {
    /// The dataset directory.
    public let directory: String
    /// The manifest as of the last flush (counts and segments run ahead of it until the next one).
    public private(set) var manifest: DatasetManifest
    /// Free-form provenance, saved with the manifest at the next flush or finish.
    public var source: [String: DatasetJSON] {
        get { pending.source }
        set { pending.source = newValue }
    }

    private let segmentBytes: Int
    private var indices: [InstrumentId: UInt16]
    private var pending: DatasetManifest
    private var sealed: [DatasetManifest.Segment] = []
    private var segment: SegmentWriter?
    private var lastTimeNs: Int64?
    private var bookUpdateNumbers: [Int64]
    private var closedReason: String?

    /// Creates `directory` (or uses it if empty) for a dataset of `instruments`; records refer to
    /// them by position. `segmentBytes` is where a new segment starts (at least one full block).
    public init(
        directory: String, instruments: [Instrument], source: [String: DatasetJSON] = [:],
        segmentBytes: Int = DatasetFormat.defaultSegmentBytes, createdNs: Int64? = nil
    ) throws(DatasetError) {
        let minimum = DatasetFormat.segmentHeaderSize + DatasetFormat.fullBlockSize
        guard segmentBytes >= minimum else {
            throw .valueOutOfRange(field: "segment bytes", value: "\(segmentBytes) (at least \(minimum))")
        }
        guard instruments.count <= Int(UInt16.max) + 1 else {
            throw .valueOutOfRange(field: "instrument count", value: "\(instruments.count) (at most 65536)")
        }
        var indices: [InstrumentId: UInt16] = [:]
        for (position, instrument) in instruments.enumerated() {
            guard indices.updateValue(UInt16(position), forKey: instrument.id) == nil else {
                throw .invalidManifest(path: directory, reason: "instrument \(instrument.id) listed twice")
            }
        }
        try Self.prepare(directory)
        self.directory = directory
        self.segmentBytes = segmentBytes
        self.indices = indices
        bookUpdateNumbers = Array(repeating: 0, count: instruments.count)
        pending = DatasetManifest(instruments: instruments, source: source, createdNs: createdNs ?? Self.nowNs())
        manifest = pending
        try pending.save(directory: directory)
    }

    /// Appends one event. Its time must not be before the previous event's; a bar's time in the
    /// stream is its end, or the previous event's time when that is later (a live feed publishes
    /// a bar after the first event past its end).
    public func append(_ event: MarketEvent) throws(DatasetError) {
        if let closedReason { throw .writerClosed(closedReason) }
        guard let instrument = indices[event.instrument] else { throw .unknownInstrument(event.instrument.description) }
        let timeNs = try streamTime(of: event)
        do throws(DatasetError) {
            try write(event, instrument: instrument, timeNs: timeNs)
        } catch {
            // a refused event writes nothing; a failed write leaves the files in doubt
            if case .io = error { closedReason = "a write failed: \(error)" }
            throw error
        }
        lastTimeNs = timeNs
        if pending.counts.events == 0 { pending.timeRange.firstNs = timeNs }
        pending.timeRange.lastNs = timeNs
        pending.counts.events += 1
    }

    /// Lists `instrument` after the others (an importer meets symbols as it reads); saved with the
    /// manifest at the next flush or finish.
    func addInstrument(_ instrument: Instrument) throws(DatasetError) {
        guard indices.count <= Int(UInt16.max) else {
            throw .valueOutOfRange(field: "instrument count", value: "\(indices.count + 1) (at most 65536)")
        }
        guard indices[instrument.id] == nil else {
            throw .invalidManifest(path: directory, reason: "instrument \(instrument.id) listed twice")
        }
        indices[instrument.id] = UInt16(indices.count)
        bookUpdateNumbers.append(0)
        pending.instruments.append(DatasetManifest.InstrumentEntry(index: pending.instruments.count, instrument: instrument))
    }

    /// Replaces the trading rules of a listed instrument (an importer learns tick and lot sizes
    /// from the data); saved with the manifest at the next flush or finish.
    func updateInstrument(_ instrument: Instrument) throws(DatasetError) {
        guard let index = indices[instrument.id] else { throw .unknownInstrument(instrument.id.description) }
        pending.instruments[Int(index)] = DatasetManifest.InstrumentEntry(index: Int(index), instrument: instrument)
    }

    /// Writes the current partial block (new records first, its header last) and saves the
    /// manifest with `complete: false`.
    public func flush() throws(DatasetError) {
        if let closedReason { throw .writerClosed(closedReason) }
        try saveManifest(complete: false, sync: false)
    }

    /// Writes what remains, syncs the files and saves the manifest with `complete: true`; the
    /// writer accepts nothing after it.
    @discardableResult
    public func finish() throws(DatasetError) -> DatasetManifest {
        if let closedReason { throw .writerClosed(closedReason) }
        try saveManifest(complete: true, sync: true)
        segment = nil
        closedReason = "finished"
        FileIO.syncDirectory(directory)
        return manifest
    }

    private func streamTime(of event: MarketEvent) throws(DatasetError) -> Int64 {
        if case .bar(let bar) = event { return max(bar.endTimeNs, lastTimeNs ?? .min) }
        let timeNs = event.timeNs
        if let lastTimeNs, timeNs < lastTimeNs {
            throw .decreasingTime(previousNs: lastTimeNs, timeNs: timeNs, event: Self.describe(event))
        }
        return timeNs
    }

    /// Adds a record to the open segment, starting a new segment first when the next block
    /// would not fit under `segmentBytes`.
    func put(_ record: DatasetRecord) throws(DatasetError) {
        if segment == nil || (segment!.atBlockBoundary && segment!.bytes + Int64(DatasetFormat.fullBlockSize) > Int64(segmentBytes)) {
            try rotate()
        }
        try segment!.append(record)
        pending.counts.records += 1
    }

    /// Numbers book updates per instrument (records carry it so their levels group unambiguously).
    func nextBookUpdateNumber(_ instrument: UInt16) -> Int64 {
        bookUpdateNumbers[Int(instrument)] += 1
        return bookUpdateNumbers[Int(instrument)]
    }

    func count(_ update: (inout DatasetManifest.Counts) -> Void) {
        update(&pending.counts)
    }

    private func rotate() throws(DatasetError) {
        if let segment { sealed.append(try segment.sync()) }
        let next = try SegmentWriter(directory: directory, index: sealed.count + 1)
        segment = next
        try saveManifest(complete: false, sync: false)
    }

    private func saveManifest(complete: Bool, sync: Bool) throws(DatasetError) {
        var segments = sealed
        do throws(DatasetError) {
            if let segment { segments.append(sync ? try segment.sync() : try segment.flush()) }
            pending.segments = segments
            pending.contentHash = DatasetManifest.contentHash(ofSegmentHashes: segments.map(\.sha256))
            pending.complete = complete
            try pending.save(directory: directory)
        } catch {
            closedReason = "a write failed: \(error)"
            throw error
        }
        manifest = pending
    }

    private static func prepare(_ directory: String) throws(DatasetError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: directory, operation: "create directory", reason: "\(error.localizedDescription)")
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        if let existing = entries.first(where: { $0 == DatasetFormat.manifestFileName || $0.hasSuffix(".twd") }) {
            throw .io(path: directory, operation: "create dataset", reason: "the directory already holds \(existing)")
        }
    }

    private static func nowNs() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    static func describe(_ event: MarketEvent) -> String {
        switch event {
        case .quote(let quote): return "quote \(quote.instrument)"
        case .trade(let trade): return "trade \(trade.instrument) \(trade.tradeId)"
        case .book(let book): return "book update \(book.instrument)"
        case .bar(let bar): return "bar \(bar.instrument)"
        }
    }
}
