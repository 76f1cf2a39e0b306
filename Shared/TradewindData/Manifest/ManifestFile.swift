import Crypto
import Foundation
import Glibc
import TradewindCore

extension DatasetManifest {
    /// Reads and checks `directory/manifest.json`: format, version, layout constants, instrument
    /// indices and segment names.
    public static func load(directory: String) throws(DatasetError) -> DatasetManifest {
        let path = directory + "/" + DatasetFormat.manifestFileName
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or read error" : "no such file"
            throw .unreadableManifest(path: path, reason: reason)
        }
        let manifest: DatasetManifest
        do {
            manifest = try JSONDecoder().decode(DatasetManifest.self, from: data)
        } catch {
            throw .unreadableManifest(path: path, reason: Self.describe(error))
        }
        try manifest.check(path: path)
        return manifest
    }

    /// Writes the manifest to `directory/manifest.json` atomically (a temporary file, then rename).
    public func save(directory: String) throws(DatasetError) {
        let path = directory + "/" + DatasetFormat.manifestFileName
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(self)
        } catch {
            throw .io(path: path, operation: "encode", reason: "\(error)")
        }
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: temporary, operation: "create", reason: SystemErrorText.last) }
        defer { close(fd) }
        var bytes = [UInt8](data)
        bytes.append(UInt8(ascii: "\n"))
        try FileIO.writeAll(fd, bytes, path: temporary)
        guard rename(temporary, path) == 0 else { throw .io(path: path, operation: "rename", reason: SystemErrorText.last) }
    }

    /// The manifest's instruments as core instruments, in index order.
    public func coreInstruments(path: String = DatasetFormat.manifestFileName) throws(DatasetError) -> [Instrument] {
        var result: [Instrument] = []
        for entry in instruments {
            do {
                let instrument = Instrument(
                    id: try InstrumentId(parsing: entry.id), baseAsset: entry.base, quoteAsset: entry.quote,
                    tickSize: try Price(parsing: entry.tickSize), lotSize: try Quantity(parsing: entry.lotSize),
                    minQuantity: try Quantity(parsing: entry.minQuantity))
                result.append(instrument)
            } catch {
                throw .invalidManifest(path: path, reason: "instruments[\(entry.index)]: \(error)")
            }
        }
        return result
    }

    /// The content hash for segment digests `digests` (hex): SHA-256 over their concatenated bytes.
    public static func contentHash(ofSegmentHashes digests: [String]) -> String {
        var hasher = SHA256()
        for digest in digests { hasher.update(data: Hex.bytes(digest) ?? []) }
        return Hex.string(hasher.finalize())
    }

    private func check(path: String) throws(DatasetError) {
        guard format == DatasetFormat.name else { throw .unsupportedFormat(path: path, found: "\"\(format)\"") }
        guard version == Int(DatasetFormat.version) else { throw .unsupportedFormat(path: path, found: "version \(version)") }
        guard recordSize == DatasetFormat.recordSize, blockRecords == DatasetFormat.blockRecords else {
            throw .unsupportedFormat(path: path, found: "record_size \(recordSize), block_records \(blockRecords)")
        }
        guard instruments.count <= Int(UInt16.max) + 1 else {
            throw .invalidManifest(path: path, reason: "\(instruments.count) instruments, at most 65536")
        }
        for (position, entry) in instruments.enumerated() where entry.index != position {
            throw .invalidManifest(path: path, reason: "instruments[\(position)] has index \(entry.index)")
        }
        _ = try coreInstruments(path: path)
        let byKind = counts.quote + counts.trade + counts.bookLevel + 2 * counts.bar
        guard !complete || (counts.records == byKind && segments.reduce(0, { $0 + $1.records }) == counts.records) else {
            throw .invalidManifest(path: path, reason: "counts.records \(counts.records) disagrees with the counts by kind or the segments")
        }
        if complete, contentHash != Self.contentHash(ofSegmentHashes: segments.map(\.sha256)) {
            throw .invalidManifest(path: path, reason: "content_hash does not match the segments' SHA-256")
        }
        for (position, segment) in segments.enumerated() where segment.file != DatasetFormat.segmentFileName(position + 1) {
            throw .invalidManifest(path: path, reason: "segments[\(position)] is \"\(segment.file)\", expected \"\(DatasetFormat.segmentFileName(position + 1))\"")
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing key \(Self.path(context.codingPath + [key]))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(Self.path(context.codingPath))"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "invalid value at \(Self.path(context.codingPath))"
        default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        let text = keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
        return text.hasPrefix(".") ? String(text.dropFirst()) : text
    }
}
