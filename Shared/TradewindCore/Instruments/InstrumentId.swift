/// A venue-qualified instrument identifier such as "SIM:BTCUSDT".
public struct InstrumentId: Hashable, Sendable, Comparable, LosslessStringConvertible {
    /// Venue name, e.g. "SIM" or "BINANCE".
    public let venue: String
    /// Venue symbol, e.g. "BTCUSDT".
    public let symbol: String
    /// FNV-1a of both parts, computed once: every dictionary keyed by instrument on the hot path
    /// hashes this word instead of two strings.
    private let key: UInt64

    /// Creates an id from its parts; both must be non-empty and use only [A-Z0-9_-].
    public init(venue: String, symbol: String) throws(InstrumentIdError) {
        guard InstrumentId.isValidPart(venue) else { throw .invalidVenue(venue) }
        guard InstrumentId.isValidPart(symbol) else { throw .invalidSymbol(symbol) }
        self.venue = venue
        self.symbol = symbol
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in venue.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash = (hash ^ UInt64(UInt8(ascii: ":"))) &* 0x0000_0100_0000_01b3
        for byte in symbol.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        key = hash
    }

    public static func == (lhs: InstrumentId, rhs: InstrumentId) -> Bool {
        lhs.key == rhs.key && lhs.venue == rhs.venue && lhs.symbol == rhs.symbol
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
    }

    /// What `Dictionary` and `Set` ask for: the precomputed word mixed with the table's seed by a
    /// multiply-xorshift finalizer, without running SipHash for every lookup. Instrument ids come
    /// from configuration, not from a peer, so hash flooding is not a concern here
    /// (ids reach the core from configuration and from the suite's own bus).
    public func _rawHashValue(seed: Int) -> Int {
        var mixed = key ^ UInt64(UInt(bitPattern: seed))
        mixed = (mixed ^ (mixed >> 33)) &* 0xff51_afd7_ed55_8ccd
        mixed = (mixed ^ (mixed >> 33)) &* 0xc4ce_b9fe_1a85_ec53
        return Int(truncatingIfNeeded: mixed ^ (mixed >> 33))
    }

    /// Parses "VENUE:SYMBOL".
    public init(parsing text: String) throws(InstrumentIdError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .missingSeparator(text) }
        try self.init(venue: String(parts[0]), symbol: String(parts[1]))
    }

    /// Parses "VENUE:SYMBOL", or nil if malformed.
    public init?(_ text: String) {
        do {
            try self.init(parsing: text)
        } catch {
            return nil
        }
    }

    public var description: String { "\(venue):\(symbol)" }

    public static func < (lhs: InstrumentId, rhs: InstrumentId) -> Bool {
        (lhs.venue, lhs.symbol) < (rhs.venue, rhs.symbol)
    }

    private static func isValidPart(_ part: String) -> Bool {
        !part.isEmpty && part.utf8.count <= 64 && part.utf8.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}

extension InstrumentId: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Why an instrument id could not be parsed.
public enum InstrumentIdError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is not of the form "VENUE:SYMBOL".
    case missingSeparator(String)
    /// The venue part is empty, too long or has characters outside [A-Z0-9_-].
    case invalidVenue(String)
    /// The symbol part is empty, too long or has characters outside [A-Z0-9_-].
    case invalidSymbol(String)

    public var description: String {
        switch self {
        case .missingSeparator(let text):
            return "instrument id \"\(NumberError.clip(text))\" must look like VENUE:SYMBOL"
        case .invalidVenue(let venue):
            return "instrument venue \"\(NumberError.clip(venue))\" must be 1-64 characters of [A-Z0-9_-]"
        case .invalidSymbol(let symbol):
            return "instrument symbol \"\(NumberError.clip(symbol))\" must be 1-64 characters of [A-Z0-9_-]"
        }
    }
}

extension InstrumentId: CodingKeyRepresentable {
    /// Lets `[InstrumentId: T]` encode as a JSON object keyed by "VENUE:SYMBOL".
    public var codingKey: any CodingKey { InstrumentCodingKey(stringValue: description) }

    public init?<T: CodingKey>(codingKey: T) {
        self.init(codingKey.stringValue)
    }
}

private struct InstrumentCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        return nil
    }
}
