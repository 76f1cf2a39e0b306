import Foundation
import Testing
import TradewindCore
@testable import TradewindData

@Suite struct RawRecordTests {
    let dayNs: Int64 = 86_400_000_000_000
    let start: Int64 = 1_700_006_400_000_000_000  // 2023-11-15 00:00 UTC

    func directory() -> String {
        let path = NSTemporaryDirectory() + "tw-raw-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func record(_ index: Int, at time: Int64, kind: RawRecord.Kind = .frame) -> RawRecord {
        RawRecord(
            receivedNs: time, kind: kind, tag: kind == .snapshot ? "BINANCE:BTCUSDT" : "1",
            payload: Array(#"{"stream":"btcusdt@trade","data":{"t":\#(index),"p":"1.5 \n x"}}"#.utf8))
    }

    func readAll(_ paths: [String]) -> ([RawRecord], DatasetError?) {
        var iterator = RawRecordReader(paths: paths).makeIterator()
        var records: [RawRecord] = []
        while let record = iterator.next() { records.append(record) }
        return (records, iterator.error)
    }

    @Test func recordsRoundTripExactlyWithNewlinesInPayloads() throws {
        let root = directory()
        let writer = RawRecordWriter(directory: root)
        let written = (0..<2_000).map { record($0, at: start + Int64($0) * 1_000_000, kind: RawRecord.Kind.allCases[$0 % 4]) }
        for item in written { try writer.append(item) }
        try writer.finish()
        let (read, error) = readAll(RawRecordReader.segments(under: root))
        #expect(error == nil)
        #expect(read == written)
    }

    @Test func segmentsRotateBySizeAndByUTCDay() throws {
        let root = directory()
        let writer = RawRecordWriter(directory: root, rotateBytes: 4_096)
        var written: [RawRecord] = []
        var random = SeededGenerator(seed: 3)
        for index in 0..<3_000 {
            // the last thousand records on the next day
            let time = start + (index < 2_000 ? Int64(index) : dayNs + Int64(index))
            var item = record(index, at: time)
            // incompressible bytes, so the compressed size grows
            item.payload += (0..<(64 + index % 97)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            written.append(item)
            try writer.append(item)
        }
        try writer.finish()
        let segments = RawRecordReader.segments(under: root)
        #expect(segments.count > 2)
        #expect(segments == writer.segments)
        #expect(Set(segments.map { URL(fileURLWithPath: $0).deletingLastPathComponent().lastPathComponent }) == ["2023-11-15", "2023-11-16"])
        #expect(readAll(segments).0 == written)
    }

    @Test func aSegmentCutShortYieldsEveryFlushedRecord() throws {
        let root = directory()
        // flushed at every record's time step of 1 s
        let writer = RawRecordWriter(directory: root, flushIntervalNs: 1)
        let written = (0..<50).map { record($0, at: start + Int64($0) * 1_000) }
        for item in written { try writer.append(item) }
        // a crash now: the writer never finishes; its file holds a sync-flushed stream without a trailer
        let (read, error) = readAll(writer.segments)
        #expect(error == nil)
        #expect(read == written)
        // and a torn write in the middle of the compressed tail loses only records after the tear
        let data = try Data(contentsOf: URL(fileURLWithPath: writer.segments[0]))
        let torn = root + "/torn.raw.gz"
        try data.prefix(data.count - 7).write(to: URL(fileURLWithPath: torn))
        let (partial, tornError) = readAll([torn])
        #expect(tornError == nil)
        #expect(partial.count < written.count && partial == Array(written.prefix(partial.count)))
    }

    @Test func aMalformedHeaderNamesTheFileAndOffset() throws {
        let root = directory()
        let path = root + "/bad.raw.gz"
        let writer = RawRecordWriter(directory: root)
        try writer.append(record(0, at: start))
        try writer.finish()
        // a valid record, then garbage, gzipped by the writer's own segment as plain payload-less bytes
        let good = readAll(writer.segments).0
        #expect(good.count == 1)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "printf '1 frame 1 2\\nab\\nnot a header\\n' | gzip > \(path)"]
        try process.run()
        process.waitUntilExit()
        let (read, error) = readAll([path])
        #expect(read.count == 1)
        guard case .malformedGroup(let file, let offset, _)? = error else {
            Issue.record("expected a malformed header error, got \(String(describing: error))")
            return
        }
        #expect(file == path)
        #expect(offset == 15)
    }
}
