/// One 48-byte record as stored, decoded into plain integers without building Strings or arrays:
/// the reader's raw fast path. Prices and quantities are `FixedPoint.units` (value × 10^8).
///
/// | kind | `value0` | `value1` | `value2` | `value3` |
/// |---|---|---|---|---|
/// | quote | bid | bid size | ask | ask size |
/// | trade | price | size | trade id | 0 |
/// | book level | price | size (0 removes) | update number | 0 |
/// | bar | open | high | low | close |
/// | bar continuation | volume | trade count | bar start (ns) | 0 |
///
/// A quote, trade or book level may also carry the exchange's own time in `aux` (flag
/// `exchangeTime`); `timeNs` is the stream time (a live recording's local receive time).
public struct DatasetRecord: Sendable, Hashable {
    /// What a record holds (byte 8).
    public enum Kind: UInt8, Sendable, Hashable, CaseIterable {
        case quote = 1
        case trade = 2
        case bookLevel = 3
        case bar = 4
        case barContinuation = 5
    }

    /// Bits of the `flags` byte (9); their meaning depends on the kind.
    public enum Flag {
        /// Trade: the aggressor sold.
        public static let aggressorSell: UInt8 = 1 << 0
        /// Book level: an ask (else a bid).
        public static let ask: UInt8 = 1 << 0
        /// Book level: the first level of an update.
        public static let firstLevel: UInt8 = 1 << 1
        /// Book level: the last level of an update.
        public static let lastLevel: UInt8 = 1 << 2
        /// Book level: the update is a snapshot (else a delta).
        public static let snapshot: UInt8 = 1 << 3
        /// Book level: the update has no levels; this record only carries it (price and size 0).
        public static let emptyUpdate: UInt8 = 1 << 4
        /// Quote, trade, book level: `aux` holds the exchange time (see `exchangeTimeNs`).
        public static let exchangeTime: UInt8 = 1 << 7
    }

    /// Stream time in ns since the Unix epoch; never decreases across a dataset (bytes 0-7).
    public var timeNs: Int64
    public var kind: Kind
    public var flags: UInt8
    /// Index into the manifest's instruments (bytes 10-11).
    public var instrument: UInt16
    /// Bar and continuation: the interval in seconds. Quote, trade and book level with the
    /// `exchangeTime` flag: the stream time's microseconds minus the exchange time's, as an i32.
    /// Otherwise 0 (bytes 12-15).
    public var aux: UInt32
    /// Bytes 16-23, 24-31, 32-39, 40-47: see the table above.
    public var value0: Int64
    public var value1: Int64
    public var value2: Int64
    public var value3: Int64

    public init(
        timeNs: Int64, kind: Kind, flags: UInt8 = 0, instrument: UInt16, aux: UInt32 = 0,
        _ value0: Int64, _ value1: Int64, _ value2: Int64 = 0, _ value3: Int64 = 0
    ) {
        self.timeNs = timeNs
        self.kind = kind
        self.flags = flags
        self.instrument = instrument
        self.aux = aux
        self.value0 = value0
        self.value1 = value1
        self.value2 = value2
        self.value3 = value3
    }

    /// Writes the record's 48 bytes at `pointer`, little-endian.
    @inlinable
    public func store(to pointer: UnsafeMutableRawPointer) {
        let word = UInt64(kind.rawValue) | UInt64(flags) << 8 | UInt64(instrument) << 16 | UInt64(aux) << 32
        pointer.storeBytes(of: timeNs.littleEndian, toByteOffset: 0, as: Int64.self)
        pointer.storeBytes(of: word.littleEndian, toByteOffset: 8, as: UInt64.self)
        pointer.storeBytes(of: value0.littleEndian, toByteOffset: 16, as: Int64.self)
        pointer.storeBytes(of: value1.littleEndian, toByteOffset: 24, as: Int64.self)
        pointer.storeBytes(of: value2.littleEndian, toByteOffset: 32, as: Int64.self)
        pointer.storeBytes(of: value3.littleEndian, toByteOffset: 40, as: Int64.self)
    }

    /// The record at `pointer`, or nil when its kind byte is unknown (the caller names the offset).
    @inlinable
    public init?(at pointer: UnsafeRawPointer) {
        let word = UInt64(littleEndian: pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        guard let kind = Kind(rawValue: UInt8(truncatingIfNeeded: word)) else { return nil }
        self.timeNs = Int64(littleEndian: pointer.loadUnaligned(fromByteOffset: 0, as: Int64.self))
        self.kind = kind
        self.flags = UInt8(truncatingIfNeeded: word >> 8)
        self.instrument = UInt16(truncatingIfNeeded: word >> 16)
        self.aux = UInt32(truncatingIfNeeded: word >> 32)
        self.value0 = Int64(littleEndian: pointer.loadUnaligned(fromByteOffset: 16, as: Int64.self))
        self.value1 = Int64(littleEndian: pointer.loadUnaligned(fromByteOffset: 24, as: Int64.self))
        self.value2 = Int64(littleEndian: pointer.loadUnaligned(fromByteOffset: 32, as: Int64.self))
        self.value3 = Int64(littleEndian: pointer.loadUnaligned(fromByteOffset: 40, as: Int64.self))
    }

    /// The exchange's time for a quote, trade or book level, to the microsecond, where the record
    /// carries one: `(timeNs / 1000 - aux as i32) * 1000`.
    @inlinable
    public var exchangeTimeNs: Int64? {
        guard has(Flag.exchangeTime) else { return nil }
        return (timeNs / 1000 - Int64(Int32(bitPattern: aux))) * 1000
    }

    /// The `aux` that stores `exchangeTimeNs` beside a stream time of `timeNs`, or nil when the two
    /// are more than an i32 of microseconds (about 35 minutes) apart: such a record keeps no
    /// exchange time. Both times are truncated to the microsecond.
    @inlinable
    public static func exchangeOffset(timeNs: Int64, exchangeTimeNs: Int64) -> UInt32? {
        guard let offset = Int32(exactly: timeNs / 1000 - exchangeTimeNs / 1000) else { return nil }
        return UInt32(bitPattern: offset)
    }

    /// Whether `flag` (a `Flag` constant) is set.
    @inlinable
    public func has(_ flag: UInt8) -> Bool { flags & flag != 0 }
}
