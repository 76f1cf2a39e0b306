import Testing
import TradewindCore

@Suite struct PositionTests {
    private func position(_ fills: [Fill]) throws -> Position {
        var position = Position(instrument: TestInstruments.btcId)
        for fill in fills { try position.apply(fill: fill) }
        return position
    }

    @Test func opensLong() throws {
        var fill = FillBuilder()
        var position = try position([fill(.buy, "2", at: "100")])
        #expect(position.quantity == qty("2"))
        #expect(position.averagePrice == px("100"))
        #expect(position.costBasis == usd("200"))
        #expect(position.realizedPnl == .zero)
        position.mark(px("110"), timeNs: 9)
        #expect(position.unrealizedPnl == usd("20"))
        #expect(position.totalPnl == usd("20"))
    }

    @Test func addsAtAverageCost() throws {
        var fill = FillBuilder()
        let position = try position([fill(.buy, "2", at: "100"), fill(.buy, "1", at: "130")])
        #expect(position.quantity == qty("3"))
        #expect(position.averagePrice == px("110"))
        #expect(position.realizedPnl == .zero)
        #expect(position.fillCount == 2)
    }

    @Test func partiallyClosesLong() throws {
        var fill = FillBuilder()
        var position = try position([fill(.buy, "2", at: "100"), fill(.buy, "1", at: "130"), fill(.sell, "1", at: "120")])
        #expect(position.realizedPnl == usd("10"))
        #expect(position.quantity == qty("2"))
        #expect(position.averagePrice == px("110"))
        position.mark(px("115"), timeNs: 9)
        #expect(position.unrealizedPnl == usd("10"))
    }

    @Test func fullyClosesAndResetsAverage() throws {
        var fill = FillBuilder()
        let position = try position([
            fill(.buy, "2", at: "100"), fill(.buy, "1", at: "130"), fill(.sell, "1", at: "120"), fill(.sell, "2", at: "105"),
        ])
        #expect(position.realizedPnl == .zero)
        #expect(position.isFlat)
        #expect(position.averagePrice == .zero)
        #expect(position.costBasis == .zero)
        #expect(position.unrealizedPnl == .zero)
    }

    @Test func partiallyClosesShort() throws {
        var fill = FillBuilder()
        let position = try position([fill(.sell, "4", at: "50"), fill(.buy, "1", at: "45")])
        #expect(position.quantity == qty("-3"))
        #expect(position.averagePrice == px("50"))
        #expect(position.realizedPnl == usd("5"))
    }

    @Test func flipsLongToShort() throws {
        var fill = FillBuilder()
        var position = try position([fill(.buy, "2", at: "100"), fill(.sell, "5", at: "90")])
        #expect(position.realizedPnl == usd("-20"))
        #expect(position.quantity == qty("-3"))
        #expect(position.averagePrice == px("90"))
        #expect(position.costBasis == usd("-270"))
        position.mark(px("80"), timeNs: 9)
        #expect(position.unrealizedPnl == usd("30"))
    }

    @Test func flipsShortToLong() throws {
        var fill = FillBuilder()
        var position = try position([fill(.sell, "3", at: "50"), fill(.buy, "5", at: "40")])
        #expect(position.realizedPnl == usd("30"))
        #expect(position.quantity == qty("2"))
        #expect(position.averagePrice == px("40"))
        position.mark(px("41.5"), timeNs: 9)
        #expect(position.unrealizedPnl == usd("3"))
    }

    @Test func feesReduceRealizedPnl() throws {
        var fill = FillBuilder()
        let position = try position([fill(.buy, "1", at: "100", fee: "0.1"), fill(.sell, "1", at: "110", fee: "0.11")])
        #expect(position.realizedPnl == usd("9.79"))
        #expect(position.fees == usd("0.21"))
    }

    @Test func rebatesIncreaseRealizedPnl() throws {
        var fill = FillBuilder()
        let position = try position([fill(.buy, "1", at: "100", fee: "-0.02")])
        #expect(position.realizedPnl == usd("0.02"))
        #expect(position.fees == usd("-0.02"))
    }

    @Test func inexactAverageStillBalancesTotalPnl() throws {
        var fill = FillBuilder()
        var position = try position([fill(.buy, "1", at: "100"), fill(.buy, "2", at: "101")])
        #expect(position.averagePrice == px("100.66666667"))
        try position.apply(fill: fill(.sell, "1", at: "102"))
        // Released basis = 302 × 1/3 = 100.66666667 (half-even); realized = 102 - 100.66666667.
        #expect(position.realizedPnl == usd("1.33333333"))
        #expect(position.costBasis == usd("201.33333333"))
        position.mark(px("102"), timeNs: 9)
        // Total = cash flows (-100 - 202 + 102) + 2 × 102 = 4, exactly.
        #expect(position.realizedPnl + position.unrealizedPnl == usd("4"))
    }

    @Test func refusesInvalidFillsWithoutChange() throws {
        var fill = FillBuilder()
        var position = try position([fill(.buy, "1", at: "100")])
        let before = position
        var wrong = fill(.buy, "1", at: "100")
        wrong.instrument = TestInstruments.ethId
        #expect(throws: PositionError.instrumentMismatch(expected: TestInstruments.btcId, got: TestInstruments.ethId)) {
            try position.apply(fill: wrong)
        }
        #expect(throws: PositionError.self) { try position.apply(fill: fill(.buy, "0", at: "100")) }
        #expect(throws: PositionError.self) { try position.apply(fill: fill(.buy, "1", at: "-1")) }
        #expect(throws: PositionError.self) { try position.apply(fill: fill(.buy, "1000", at: "100000000")) }
        #expect(position == before)
    }
}
