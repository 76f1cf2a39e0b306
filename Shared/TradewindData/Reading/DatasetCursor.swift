import TradewindCore

/// A single pass over a dataset's events in processing order, block by block through a fixed
/// buffer: memory stays flat however large the dataset. Do not copy a cursor; make a new one.
///
/// `nextRecord()` is the raw fast path: a bounds check, six loads and three compares per record,
/// no allocation (each block of 4096 records also costs one `pread` and its CRC-32, and with
/// `.full` verification its share of the segment's SHA-256). `next()` builds `MarketEvent`s on top.
public struct DatasetCursor {
    @usableFromInline let stream: BlockStream
    @usableFromInline let records: UnsafeRawPointer
    @usableFromInline let instrumentCount: Int
    @usableFromInline var index = 0
    @usableFromInline var count = 0
    @usableFromInline var lastTimeNs = Int64.min
    @usableFromInline let instrumentIds: [InstrumentId]
    /// Records of an event cut off by an incomplete dataset's torn tail (a book update or a bar
    /// whose last records never reached the disk): dropped, counted here.
    public private(set) var droppedRecords = 0

    init(stream: BlockStream, instruments: [Instrument]) {
        self.stream = stream
        records = stream.records
        instrumentCount = instruments.count
        instrumentIds = instruments.map(\.id)
    }

    /// Stream time of the last record returned (a bar's is its end or later, see `DatasetWriter`).
    public var timeNs: Int64 { lastTimeNs }

    /// The torn bytes an incomplete dataset ended with, once the cursor has reached them.
    public var tornTail: TornTail? { stream.tornTail }

    /// The next record, or nil at the end of the dataset.
    @inlinable
    public mutating func nextRecord() throws(DatasetError) -> DatasetRecord? {
        if index == count {
            count = try stream.nextBlock()
            index = 0
            if count == 0 { return nil }
        }
        let pointer = records + index &* DatasetFormat.recordSize
        guard let record = DatasetRecord(at: pointer), Int(record.instrument) < instrumentCount, record.timeNs >= lastTimeNs else {
            throw invalidRecord(at: index)
        }
        index &+= 1
        lastTimeNs = record.timeNs
        return record
    }

    /// The next event, or nil at the end of the dataset.
    @inlinable
    public mutating func next() throws(DatasetError) -> MarketEvent? {
        guard let record = try nextRecord() else { return nil }
        let instrument = instrumentIds[Int(record.instrument)]
        switch record.kind {
        case .quote:
            return .quote(Quote(
                instrument: instrument, bid: Price(units: record.value0), bidSize: Quantity(units: record.value1),
                ask: Price(units: record.value2), askSize: Quantity(units: record.value3), timeNs: record.timeNs,
                exchangeTimeNs: record.exchangeTimeNs))
        case .trade:
            return .trade(Trade(
                instrument: instrument, price: Price(units: record.value0), size: Quantity(units: record.value1),
                aggressor: record.has(DatasetRecord.Flag.aggressorSell) ? .sell : .buy,
                tradeId: String(record.value2), timeNs: record.timeNs, exchangeTimeNs: record.exchangeTimeNs))
        case .bookLevel:
            return try book(startingWith: record, instrument: instrument)
        case .bar:
            return try bar(startingWith: record, instrument: instrument)
        case .barContinuation:
            throw orphanContinuation()
        }
    }

    @usableFromInline
    func orphanContinuation() -> DatasetError {
        .malformedGroup(file: stream.fileName, offset: offset(ofRecord: index - 1), reason: "a bar continuation without its bar")
    }

    @usableFromInline
    mutating func book(startingWith first: DatasetRecord, instrument: InstrumentId) throws(DatasetError) -> MarketEvent? {
        guard first.has(DatasetRecord.Flag.firstLevel) else {
            throw .malformedGroup(file: stream.fileName, offset: offset(ofRecord: index - 1), reason: "a book level outside an update")
        }
        var update = BookUpdate(
            instrument: instrument, snapshot: first.has(DatasetRecord.Flag.snapshot), bids: [], asks: [], timeNs: first.timeNs,
            exchangeTimeNs: first.exchangeTimeNs)
        if first.has(DatasetRecord.Flag.emptyUpdate) { return .book(update) }
        var record = first
        var levels = 1
        while true {
            let level = BookLevel(price: Price(units: record.value0), size: Quantity(units: record.value1))
            if record.has(DatasetRecord.Flag.ask) { update.asks.append(level) } else { update.bids.append(level) }
            if record.has(DatasetRecord.Flag.lastLevel) { return .book(update) }
            guard let following = try groupMember(levels) else { return nil }
            guard following.kind == .bookLevel, following.instrument == first.instrument, following.timeNs == first.timeNs,
                following.value2 == first.value2, !following.has(DatasetRecord.Flag.firstLevel) else {
                throw .malformedGroup(file: stream.fileName, offset: offset(ofRecord: index - 1), reason: "book update \(first.value2) ends without its last level")
            }
            record = following
            levels += 1
        }
    }

    @usableFromInline
    mutating func bar(startingWith first: DatasetRecord, instrument: InstrumentId) throws(DatasetError) -> MarketEvent? {
        guard let second = try groupMember(1) else { return nil }
        guard second.kind == .barContinuation, second.instrument == first.instrument, second.timeNs == first.timeNs else {
            throw .malformedGroup(file: stream.fileName, offset: offset(ofRecord: index - 1), reason: "a bar without its continuation record")
        }
        return .bar(Bar(
            instrument: instrument, startTimeNs: second.value2, intervalSeconds: Int(first.aux),
            open: Price(units: first.value0), high: Price(units: first.value1), low: Price(units: first.value2),
            close: Price(units: first.value3), volume: Quantity(units: second.value0), tradeCount: Int(second.value1)))
    }

    /// The next record of a group already `read` records long; nil (and the group dropped) when
    /// an incomplete dataset ends inside it, an error when a complete one does.
    private mutating func groupMember(_ read: Int) throws(DatasetError) -> DatasetRecord? {
        if let record = try nextRecord() { return record }
        guard stream.manifest.complete else {
            droppedRecords += read
            return nil
        }
        throw .malformedGroup(file: stream.fileName, offset: offset(ofRecord: index), reason: "the data ends inside a book update or a bar")
    }

    @usableFromInline
    func invalidRecord(at position: Int) -> DatasetError {
        let pointer = records + position * DatasetFormat.recordSize
        let offset = offset(ofRecord: position)
        let kind = pointer.load(fromByteOffset: 8, as: UInt8.self)
        guard let record = DatasetRecord(at: pointer) else { return .unknownKind(file: stream.fileName, offset: offset, kind: kind) }
        if Int(record.instrument) >= instrumentCount {
            return .instrumentOutOfRange(file: stream.fileName, offset: offset, index: record.instrument, count: instrumentCount)
        }
        return .outOfOrder(file: stream.fileName, offset: offset, timeNs: record.timeNs, previousNs: lastTimeNs)
    }

    @usableFromInline
    func offset(ofRecord position: Int) -> Int64 {
        stream.blockOffset + Int64(DatasetFormat.blockHeaderSize + position * DatasetFormat.recordSize)
    }
}
