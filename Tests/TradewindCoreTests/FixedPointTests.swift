import Foundation
import Testing
import TradewindCore

@Suite struct FixedPointTests {
    @Test(arguments: [
        ("123.45", Int64(12_345_000_000)),
        ("-0.00000001", -1),
        ("5", 500_000_000),
        ("+1.5", 150_000_000),
        ("0", 0),
        ("-0", 0),
        ("007.10", 710_000_000),
        ("92233720368.54775807", Int64.max),
        ("-92233720368.54775808", Int64.min),
    ])
    func parsesExactly(text: String, units: Int64) throws {
        #expect(Price(text)?.units == units)
        #expect(try Price(parsing: text).units == units)
    }

    @Test(arguments: ["", "-", "+", "1.", ".5", "abc", "1e5", "1.2.3", " 1", "1 ", "1,5", "--1", "0x10", "1.-5"])
    func rejectsJunk(text: String) {
        #expect(Price(text) == nil)
        #expect(throws: NumberError.self) { try Price(parsing: text) }
    }

    @Test func rejectsMoreThanEightDecimals() {
        #expect(Price("1.123456789") == nil)
        #expect(throws: NumberError.tooManyDecimals(input: "1.123456789", maximum: 8)) {
            try Price(parsing: "1.123456789")
        }
        #expect(Price("1.12345678") != nil)
    }

    @Test func rejectsOverflow() {
        #expect(Price("92233720368.54775808") == nil)
        #expect(Price("-92233720368.54775809") == nil)
        #expect(Price("99999999999999999999999") == nil)
        #expect(throws: NumberError.outOfRange(input: "92233720368.54775808")) {
            try Price(parsing: "92233720368.54775808")
        }
    }

    @Test func errorMessageNamesInput() {
        do {
            _ = try Quantity(parsing: "12x")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("12x"))
            #expect(error.description.contains("position 2"))
        }
    }

    @Test(arguments: [
        (Int64(6_425_012_500_000), "64250.125"),
        (10_000, "0.0001"),
        (-300_000_000, "-3"),
        (0, "0"),
        (-1, "-0.00000001"),
        (Int64.min, "-92233720368.54775808"),
        (Int64.max, "92233720368.54775807"),
    ])
    func formatsCanonically(units: Int64, text: String) {
        #expect(Price(units: units).description == text)
    }

    @Test func roundTripsThroughText() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            let value = Money(units: Int64(bitPattern: generator.next()) >> Int64(generator.nextBounded(63)))
            #expect(Money(value.description) == value)
        }
    }

    @Test func codableUsesCanonicalString() throws {
        let data = try JSONEncoder().encode([px("64250.125")])
        #expect(String(decoding: data, as: UTF8.self) == "[\"64250.125\"]")
        #expect(try JSONDecoder().decode([Price].self, from: data) == [px("64250.125")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Price].self, from: Data("[\"1.5x\"]".utf8)) }
    }

    @Test func basicArithmetic() throws {
        #expect(px("1.25") + px("2.5") == px("3.75"))
        #expect(px("1.25") - px("2.5") == px("-1.25"))
        #expect(-qty("3") == qty("-3"))
        #expect(abs(qty("-3")) == qty("3"))
        #expect(qty("-3").signum == -1 && qty("0").signum == 0 && qty("0.1").signum == 1)
        #expect(Quantity.zero.isZero)
        #expect(qty("1.5") * 3 == qty("4.5"))
        #expect(px("1") < px("1.00000001"))
        #expect(try px("10").divided(by: 3) == px("3.33333333"))
        #expect(Price(whole: 5) == px("5"))
        #expect(Price(whole: Int64.max) == nil)
    }

    @Test func checkedArithmeticReportsOverflow() {
        #expect(throws: NumberError.self) { try Money.max.adding(Money(units: 1)) }
        #expect(throws: NumberError.self) { try Money.min.subtracting(Money(units: 1)) }
        #expect(throws: NumberError.self) { try Money.min.negated() }
        #expect(throws: NumberError.self) { try Money.max.multiplied(by: 2) }
        #expect(throws: NumberError.divisionByZero(operation: "1 / 0")) { try usd("1").divided(by: 0) }
    }

    /// Notional rounding: ties go to the even unit, in both signs.
    @Test(arguments: [
        ("0.00000001", "0.5", "0"),
        ("0.00000003", "0.5", "0.00000002"),
        ("0.00000001", "1.5", "0.00000002"),
        ("0.00000001", "2.5", "0.00000002"),
        ("0.00000001", "-2.5", "-0.00000002"),
        ("0.00000001", "-3.5", "-0.00000004"),
        ("0.00000001", "0.50000001", "0.00000001"),
        ("64250.12", "0.001", "64.25012"),
        ("100", "-2", "-200"),
    ])
    func notionalRoundsHalfEven(price: String, quantity: String, expected: String) throws {
        #expect(px(price) * qty(quantity) == usd(expected))
        #expect(qty(quantity) * px(price) == usd(expected))
        #expect(try px(price).notional(qty(quantity)) == usd(expected))
    }

    @Test func notionalOfLargeValuesUsesInt128() throws {
        // 50,000,000 × 1,500 = 75,000,000,000: the unit product (7.5e26) overflows Int64.
        #expect(px("50000000") * qty("1500") == usd("75000000000"))
        #expect(px("0.00000001") * qty("92233720368.54775807") == usd("922.33720369"))
        #expect(throws: NumberError.self) { try px("100000000").notional(qty("1000")) }
    }

    @Test(arguments: [
        ("100", "3", "33.33333333"),
        ("200", "3", "66.66666667"),
        ("0.00000001", "2", "0"),
        ("0.00000003", "2", "0.00000002"),
        ("-0.00000003", "2", "-0.00000002"),
        ("330", "3", "110"),
    ])
    func averagePriceRoundsHalfEven(money: String, quantity: String, expected: String) throws {
        #expect(usd(money) / qty(quantity) == px(expected))
        #expect(try usd(money).divided(by: qty(quantity)) == px(expected))
    }

    @Test func averagePriceRejectsZeroQuantity() {
        #expect(throws: NumberError.self) { try usd("1").divided(by: Quantity.zero) }
    }

    @Test(arguments: [
        ("1000", Int64(10), "1"),
        ("202", 10, "0.202"),
        ("0.00000015", 5_000, "0.00000008"),
        ("0.00000005", 5_000, "0.00000002"),
        ("-0.00000005", 5_000, "-0.00000002"),
        ("198", -2, "-0.0396"),
    ])
    func appliesBasisPointsHalfEven(money: String, bps: Int64, expected: String) throws {
        #expect(try usd(money).applying(bps: bps) == usd(expected))
        #expect(usd(money).applying(try FeeRate(bps: bps)) == usd(expected))
    }

    @Test func feeRateParsesAndValidates() throws {
        #expect(try FeeRate(bps: 10) == FeeRate(parsing: "0.001"))
        #expect(try FeeRate(bps: 10).description == "0.001")
        #expect(throws: NumberError.self) { try FeeRate(bps: 10_001) }
        #expect(throws: NumberError.self) { try FeeRate(parsing: "1.5") }
        #expect(FeeRate(rate: Rate("-1")!) != nil)
    }

    @Test(arguments: [
        ("100.37", "0.05", IncrementRounding.towardZero, "100.35"),
        ("-100.37", "0.05", .towardZero, "-100.35"),
        ("100.37", "0.05", .up, "100.4"),
        ("-100.37", "0.05", .down, "-100.4"),
        ("-100.37", "0.05", .up, "-100.35"),
        ("100.375", "0.05", .toNearestOrEven, "100.4"),
        ("100.325", "0.05", .toNearestOrEven, "100.3"),
        ("100.36", "0.05", .toNearestOrEven, "100.35"),
        ("100.37", "0.05", .awayFromZero, "100.4"),
        ("100.35", "0.05", .up, "100.35"),
    ])
    func roundsToTick(value: String, tick: String, rule: IncrementRounding, expected: String) {
        #expect(px(value).rounded(toTick: px(tick), rule: rule) == px(expected))
    }

    @Test func roundsToLotTowardZero() {
        #expect(qty("1.2345").rounded(toLot: qty("0.001")) == qty("1.234"))
        #expect(qty("-1.2345").rounded(toLot: qty("0.001")) == qty("-1.234"))
        #expect(qty("1.2345").rounded(toLot: .zero) == qty("1.2345"))
        #expect(qty("1.234").isMultiple(of: qty("0.001")))
        #expect(!qty("1.2345").isMultiple(of: qty("0.001")))
        #expect(!qty("1").isMultiple(of: .zero))
    }

    @Test func rescalesExactly() throws {
        #expect(try Price(decimalUnits: 12_345, scale: 2) == px("123.45"))
        #expect(try Price(decimalUnits: 1_234_500_000_000, scale: 10) == px("123.45"))
        #expect(throws: NumberError.notRepresentable(value: "123450000001e-10", scale: 8)) {
            try Price(decimalUnits: 123_450_000_001, scale: 10)
        }
        #expect(throws: NumberError.invalidScale(19)) { try Price(decimalUnits: 1, scale: 19) }
        #expect(throws: NumberError.self) { try Price(decimalUnits: Int64.max, scale: 0) }
        #expect(try px("123.45").decimalUnits(scale: 2) == 12_345)
        #expect(try px("123.45").decimalUnits(scale: 12) == 123_450_000_000_000)
        #expect(throws: NumberError.self) { try px("123.456").decimalUnits(scale: 2) }
        #expect(Price.scale == 8)
    }
}
