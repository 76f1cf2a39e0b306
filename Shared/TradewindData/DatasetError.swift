/// Why a dataset could not be written or read; every case names the file and, where there is one,
/// the byte offset, so a corrupt or truncated dataset is never mistaken for a shorter one.
public enum DatasetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The manifest is missing, unreadable or not valid JSON of the expected shape.
    case unreadableManifest(path: String, reason: String)
    /// The manifest's format or version is not one this build reads.
    case unsupportedFormat(path: String, found: String)
    /// The manifest contradicts itself (e.g. an instrument index out of order).
    case invalidManifest(path: String, reason: String)
    /// A file could not be created, opened, read or written.
    case io(path: String, operation: String, reason: String)
    /// A segment or block header does not start with its magic bytes.
    case badMagic(file: String, offset: Int64, expected: String)
    /// A segment header field disagrees with the manifest or the format.
    case badHeader(file: String, offset: Int64, reason: String)
    /// A block's CRC-32 does not match its record bytes.
    case crcMismatch(file: String, offset: Int64, expected: UInt32, computed: UInt32)
    /// The file ends before the data it must hold.
    case truncated(file: String, offset: Int64, reason: String)
    /// Bytes follow where the segment (as the manifest describes it) must end.
    case trailingBytes(file: String, offset: Int64, count: Int64)
    /// A segment's SHA-256 differs from the manifest's.
    case hashMismatch(file: String, expected: String, computed: String)
    /// A segment holds a different number of records than the manifest says.
    case countMismatch(file: String, expected: Int64, found: Int64)
    /// A record's kind byte is not one of the known kinds.
    case unknownKind(file: String, offset: Int64, kind: UInt8)
    /// A record names an instrument index the manifest does not list.
    case instrumentOutOfRange(file: String, offset: Int64, index: UInt16, count: Int)
    /// Records that must come in a group (book levels, bar and continuation) are malformed.
    case malformedGroup(file: String, offset: Int64, reason: String)
    /// A record's time is before the previous record's.
    case outOfOrder(file: String, offset: Int64, timeNs: Int64, previousNs: Int64)
    /// The writer was given an event earlier than the one before it.
    case decreasingTime(previousNs: Int64, timeNs: Int64, event: String)
    /// The writer was given an event for an instrument the dataset does not list.
    case unknownInstrument(String)
    /// A trade id that is not a decimal integer (the record stores it as an Int64).
    case nonNumericTradeId(instrument: String, tradeId: String)
    /// A value that does not fit its record field (e.g. a bar interval beyond UInt32).
    case valueOutOfRange(field: String, value: String)
    /// The writer was used after `finish()` or after a failed write.
    case writerClosed(String)

    public var description: String {
        switch self {
        case .unreadableManifest(let path, let reason): return "\(path): cannot read the manifest: \(reason)"
        case .unsupportedFormat(let path, let found): return "\(path): unsupported dataset format \(found)"
        case .invalidManifest(let path, let reason): return "\(path): invalid manifest: \(reason)"
        case .io(let path, let operation, let reason): return "\(path): \(operation) failed: \(reason)"
        case .badMagic(let file, let offset, let expected):
            return "\(file): \(Self.at(offset)): bad magic (expected \(expected))"
        case .badHeader(let file, let offset, let reason): return "\(file): \(Self.at(offset)): \(reason)"
        case .crcMismatch(let file, let offset, let expected, let computed):
            return "\(file): block \(Self.at(offset)): CRC mismatch (stored \(Self.hex(expected)), computed \(Self.hex(computed)))"
        case .truncated(let file, let offset, let reason): return "\(file): truncated \(Self.at(offset)): \(reason)"
        case .trailingBytes(let file, let offset, let count):
            return "\(file): \(count) unexpected bytes \(Self.at(offset)) after the segment's last block"
        case .hashMismatch(let file, let expected, let computed):
            return "\(file): SHA-256 \(computed) differs from the manifest's \(expected)"
        case .countMismatch(let file, let expected, let found):
            return "\(file): \(found) records, the manifest says \(expected)"
        case .unknownKind(let file, let offset, let kind): return "\(file): record \(Self.at(offset)): unknown kind \(kind)"
        case .instrumentOutOfRange(let file, let offset, let index, let count):
            return "\(file): record \(Self.at(offset)): instrument index \(index) out of range (the manifest lists \(count))"
        case .malformedGroup(let file, let offset, let reason): return "\(file): record \(Self.at(offset)): \(reason)"
        case .outOfOrder(let file, let offset, let timeNs, let previousNs):
            return "\(file): record \(Self.at(offset)): time \(timeNs) ns is before the previous record's \(previousNs) ns"
        case .decreasingTime(let previousNs, let timeNs, let event):
            return "event time \(timeNs) ns is before the previous event's \(previousNs) ns (\(event)); datasets are in processing order"
        case .unknownInstrument(let id): return "instrument \(id) is not in the dataset's instrument list"
        case .nonNumericTradeId(let instrument, let tradeId):
            return "trade id \"\(tradeId)\" of \(instrument) is not a decimal integer; datasets store trade ids as Int64"
        case .valueOutOfRange(let field, let value): return "\(field) \(value) does not fit its record field"
        case .writerClosed(let reason): return "the dataset writer is closed: \(reason)"
        }
    }

    /// "at byte 1 234 560": offsets grouped by thousands, as an operator reads them.
    static func at(_ offset: Int64) -> String { "at byte \(grouped(offset))" }

    static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(" ") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    private static func hex(_ value: UInt32) -> String {
        let text = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - text.count) + text
    }
}
