import Testing
import TradewindCore

/// Seeded random fill sequences checked against invariants that must hold exactly.
@Suite struct PositionPropertyTests {
    private struct Ledger {
        var signedQuantity: Int64 = 0
        /// Σ sign × notional, each notional rounded half-even once (what the position books).
        var signedNotional: Int128 = 0
        /// Σ sign × quantity × price at 16 decimal places (no rounding at all).
        var exactSignedNotional16: Int128 = 0
        var fees: Int128 = 0
    }

    private static func randomFill(_ generator: inout SeededGenerator, index: Int) -> Fill {
        Fill(
            instrument: TestInstruments.btcId,
            side: generator.nextBounded(2) == 0 ? .buy : .sell,
            quantity: Quantity(units: Int64(generator.nextBounded(1_000_000_000)) + 1),
            price: Price(units: Int64(generator.nextBounded(1_000_000_000_000)) + 1),
            fee: Money(units: Int64(generator.nextBounded(2_000_000)) - 500_000),
            tradeId: "T\(index)", timeNs: Int64(index))
    }

    @Test(arguments: 0..<6)
    func pnlAlwaysBalancesCashFlows(batch: Int) throws {
        for sequence in 0..<50 {
            var generator = SeededGenerator(seed: UInt64(batch * 1_000 + sequence))
            var position = Position(instrument: TestInstruments.btcId)
            var ledger = Ledger()
            let count = Int(generator.nextBounded(40)) + 1
            for index in 0..<count {
                let fill = Self.randomFill(&generator, index: index)
                try position.apply(fill: fill)
                let sign = Int64(fill.side.sign)
                ledger.signedQuantity += sign * fill.quantity.units
                ledger.signedNotional += Int128(sign) * Int128((fill.price * fill.quantity).units)
                ledger.exactSignedNotional16 += Int128(sign) * Int128(fill.quantity.units) * Int128(fill.price.units)
                ledger.fees += Int128(fill.fee.units)

                // Position quantity is the signed sum of fills.
                #expect(position.quantity.units == ledger.signedQuantity)
                // realized - cost basis == -(Σ signed notionals) - fees, to the unit.
                #expect(Int128(position.realizedPnl.units) - Int128(position.costBasis.units) == -ledger.signedNotional - ledger.fees)

                let mark = Price(units: Int64(generator.nextBounded(1_000_000_000_000)) + 1)
                position.mark(mark, timeNs: Int64(index))
                let markValue = Int128((mark * position.quantity).units)
                let total = Int128(position.realizedPnl.units) + Int128(position.unrealizedPnl.units)
                // Exact against the booked (once-rounded) notionals.
                #expect(total == -ledger.signedNotional - ledger.fees + markValue)
                // Against unrounded arithmetic, each fill notional and the mark value round by at
                // most half a unit: |error| ≤ (fills + 1) / 2 units.
                let exact16 = -ledger.exactSignedNotional16 - ledger.fees * 100_000_000
                    + Int128(position.quantity.units) * Int128(mark.units)
                let error16 = (total * 100_000_000 - exact16).magnitude
                #expect(error16 <= UInt128(index + 2) * 50_000_000)
            }
            #expect(position.fillCount == count)
            #expect(Int128(position.fees.units) == ledger.fees)
        }
    }

    @Test func replayingFillsGivesIdenticalPosition() throws {
        var generator = SeededGenerator(seed: 99)
        let fills = (0..<200).map { Self.randomFill(&generator, index: $0) }
        var first = Position(instrument: TestInstruments.btcId)
        var second = Position(instrument: TestInstruments.btcId)
        for fill in fills { try first.apply(fill: fill) }
        for fill in fills { try second.apply(fill: fill) }
        #expect(first == second)
    }
}
