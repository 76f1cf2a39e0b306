/// A strict, allocation-light JSON reader for the few fixed shapes of Binance's market frames:
/// it walks the bytes once, hands out values as byte ranges, and never builds a tree. Everything
/// RFC 8259 allows is accepted (escapes, nesting, any key order, whitespace), except `\u` escapes
/// of UTF-16 surrogate pairs, which Binance never sends; what it does not accept is an error with
/// the byte offset. Values the caller does not ask for are skipped, validated.
struct JSONScanner {
    enum Failure: Error, Sendable {
        case syntax(String, offset: Int)
        case type(String)
        /// The caller refused a well-formed value (carried through the scanner's callbacks).
        case refused(BinanceFrameError)
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, from position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    // MARK: - Structure

    /// Calls `member` with each key of the object starting here; `member` must consume the value.
    mutating func object(_ member: (_ key: Range<Int>, _ scanner: inout JSONScanner) throws(Failure) -> Void) throws(Failure) {
        try expect(UInt8(ascii: "{"), "an object")
        skipSpace()
        if peek() == UInt8(ascii: "}") { position += 1; return }
        while true {
            skipSpace()
            let key = try rawString()
            skipSpace()
            try expect(UInt8(ascii: ":"), "':'")
            skipSpace()
            try member(key.range, &self)
            skipSpace()
            guard let next = next() else { throw syntaxError("an unterminated object") }
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw .syntax("expected ',' or '}'", offset: position - 1) }
        }
    }

    /// Calls `element` for each element of the array starting here; `element` must consume it.
    mutating func array(_ element: (_ scanner: inout JSONScanner) throws(Failure) -> Void) throws(Failure) {
        try expect(UInt8(ascii: "["), "an array")
        skipSpace()
        if peek() == UInt8(ascii: "]") { position += 1; return }
        while true {
            skipSpace()
            try element(&self)
            skipSpace()
            guard let next = next() else { throw syntaxError("an unterminated array") }
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { throw .syntax("expected ',' or ']'", offset: position - 1) }
        }
    }

    /// Skips (and checks) any value; returns the range it took.
    @discardableResult
    mutating func skipValue() throws(Failure) -> Range<Int> {
        skipSpace()
        let start = position
        switch peek() {
        case UInt8(ascii: "{"): try object { _, scanner throws(Failure) in try scanner.skipValue() }
        case UInt8(ascii: "["): try array { scanner throws(Failure) in try scanner.skipValue() }
        case UInt8(ascii: "\""): _ = try rawString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case .some: _ = try numberRange()
        case .none: throw syntaxError("a value")
        }
        return start..<position
    }

    /// Nothing but whitespace is left.
    mutating func end() throws(Failure) {
        skipSpace()
        guard position == bytes.count else { throw .syntax("trailing characters", offset: position) }
    }

    // MARK: - Values

    /// A string value's content (escapes resolved).
    mutating func string(_ field: String) throws(Failure) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw .type("\(field): expected a string") }
        let raw = try rawString()
        let slice = UnsafeBufferPointer(rebasing: bytes[raw.range])
        return raw.escaped ? try Self.unescape(slice, offset: raw.range.lowerBound) : String(decoding: slice, as: UTF8.self)
    }

    /// An integer value (no fraction, no exponent).
    mutating func int64(_ field: String) throws(Failure) -> Int64 {
        guard let first = peek(), first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw .type("\(field): expected an integer")
        }
        let range = try numberRange()
        var value: Int64 = 0
        var index = range.lowerBound
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        while index < range.upperBound {
            let digit = bytes[index]
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { throw .type("\(field): expected an integer") }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            guard !overflow, !overflow2 else { throw .type("\(field): integer out of range") }
            value = sum
            index += 1
        }
        return negative ? -value : value
    }

    mutating func uint64(_ field: String) throws(Failure) -> UInt64 {
        let value = try int64(field)
        guard value >= 0 else { throw .type("\(field): expected a non-negative integer") }
        return UInt64(value)
    }

    mutating func bool(_ field: String) throws(Failure) -> Bool {
        switch peek() {
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        default: throw .type("\(field): expected a boolean")
        }
    }

    /// True (and consumed) if the value here is `null`.
    mutating func null() throws(Failure) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    func isString() -> Bool { peek() == UInt8(ascii: "\"") }

    // MARK: - Lexing

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func next() -> UInt8? {
        guard position < bytes.count else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func syntaxError(_ expected: String) -> Failure {
        .syntax(position < bytes.count ? "expected \(expected)" : "unexpected end, expected \(expected)", offset: position)
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        guard peek() == byte else { throw syntaxError(what) }
        position += 1
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let length = word.utf8CodeUnitCount
        guard position + length <= bytes.count else { throw syntaxError("\(word)") }
        for offset in 0..<length where bytes[position + offset] != word.utf8Start[offset] { throw syntaxError("\(word)") }
        position += length
    }

    /// A string's content range (between the quotes) and whether it holds escapes.
    private mutating func rawString() throws(Failure) -> (range: Range<Int>, escaped: Bool) {
        try expect(UInt8(ascii: "\""), "a string")
        let start = position
        var escaped = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return (start..<(position - 1), escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                position += 2
                continue
            }
            guard byte >= 0x20 else { throw .syntax("a control character in a string", offset: position) }
            position += 1
        }
        throw .syntax("unexpected end in a string", offset: bytes.count)
    }

    private mutating func numberRange() throws(Failure) -> Range<Int> {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        var digits = 0
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
        {
            position += 1
            digits += 1
        }
        guard digits > 0 else { throw .syntax("expected a value", offset: start) }
        return start..<position
    }

    private static func unescape(_ slice: UnsafeBufferPointer<UInt8>, offset: Int) throws(Failure) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var index = 0
        while index < slice.count {
            let byte = slice[index]
            guard byte == UInt8(ascii: "\\") else { out.append(byte); index += 1; continue }
            guard index + 1 < slice.count else { throw .syntax("a bad escape", offset: offset + index) }
            let kind = slice[index + 1]
            index += 2
            switch kind {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(kind)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard index + 4 <= slice.count, let scalar = UInt32(String(decoding: UnsafeBufferPointer(rebasing: slice[index..<(index + 4)]), as: UTF8.self), radix: 16),
                    let unicode = Unicode.Scalar(scalar)
                else { throw .syntax("a bad \\u escape", offset: offset + index) }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
                index += 4
            default: throw .syntax("a bad escape", offset: offset + index - 1)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
