import Testing
import TradewindCore

@Suite struct DailyPnlTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01"),
        (86_399_999_999_999, "1970-01-01"),
        (86_400_000_000_000, "1970-01-02"),
        (-1, "1969-12-31"),
        (1_709_251_200_000_000_000, "2024-03-01"),
        (1_709_251_199_999_999_999, "2024-02-29"),
    ])
    func utcDayOfATime(timeNs: Int64, iso: String) {
        let day = UTCDay(timeNs: timeNs)
        #expect(day.description == iso)
        #expect(UTCDay(iso: iso) == day)
        #expect(day.startNs <= timeNs && timeNs < day.startNs + 86_400_000_000_000)
    }

    @Test(arguments: ["2024-02-30", "2024-2-01", "2024-13-01", "yesterday", ""])
    func rejectsInvalidDates(text: String) {
        #expect(UTCDay(iso: text) == nil)
    }

    @Test func booksRealizedChangeAndFeesPerUtcDay() throws {
        var fills = FillBuilder()
        var position = Position(instrument: TestInstruments.btcId)
        var book = DailyPnlBook()
        let dayNs: Int64 = 86_400_000_000_000
        var open = fills(.buy, "2", at: "100", fee: "0.2")
        open.timeNs = dayNs - 1
        var close = fills(.sell, "2", at: "110", fee: "0.22")
        close.timeNs = dayNs
        for fill in [open, close] {
            let before = position
            try position.apply(fill: fill)
            _ = book.record(fill, realizedChange: DailyPnlBook.realizedChange(before: before, after: position))
        }
        #expect(book[UTCDay(daysSinceEpoch: 0)] == DailyPnl(day: UTCDay(daysSinceEpoch: 0), realizedPnl: usd("-0.2"), fees: usd("0.2"), fillCount: 1))
        #expect(book[UTCDay(daysSinceEpoch: 1)] == DailyPnl(day: UTCDay(daysSinceEpoch: 1), realizedPnl: usd("19.78"), fees: usd("0.22"), fillCount: 1))
        let total = book.days.values.reduce(Money.zero) { $0 + $1.realizedPnl }
        #expect(total == position.realizedPnl)
    }
}
