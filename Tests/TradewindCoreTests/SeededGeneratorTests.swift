import Testing
import TradewindCore

@Suite struct SeededGeneratorTests {
    @Test func splitMixMatchesReferenceOutput() {
        var splitMix = SplitMix64(state: 0)
        #expect([splitMix.next(), splitMix.next(), splitMix.next()] == [
            0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F,
        ])
    }

    @Test func sameSeedGivesSameSequence() {
        var a = SeededGenerator(seed: 12_345)
        var b = SeededGenerator(seed: 12_345)
        var c = SeededGenerator(seed: 12_346)
        let first = (0..<100).map { _ in a.next() }
        #expect(first == (0..<100).map { _ in b.next() })
        #expect(first != (0..<100).map { _ in c.next() })
    }

    @Test func boundedValuesStayInRange() {
        var generator = SeededGenerator(seed: 1)
        for bound in [UInt64(1), 2, 3, 7, 100, 1 << 40, .max] {
            for _ in 0..<200 { #expect(generator.nextBounded(bound) < bound) }
        }
        #expect(generator.nextBounded(0) == 0)
        for _ in 0..<200 { #expect((-3...3).contains(generator.nextInt(in: -3...3))) }
        for _ in 0..<200 {
            let unit = generator.nextUnitDouble()
            #expect(unit >= 0 && unit < 1)
        }
    }

    @Test func normalSamplesHaveUnitMoments() {
        var generator = SeededGenerator(seed: 2024)
        let samples = (0..<20_000).map { _ in generator.nextStandardNormal() }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count)
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.05)
    }

    @Test func normalSamplesAreReproducibleBitForBit() {
        var a = SeededGenerator(seed: 9)
        var b = SeededGenerator(seed: 9)
        let first = (0..<500).map { _ in a.nextStandardNormal().bitPattern }
        #expect(first == (0..<500).map { _ in b.nextStandardNormal().bitPattern })
    }

    @Test func deterministicMathIsAccurate() {
        #expect(abs(DeterministicMath.log(2) - 0.693_147_180_559_945_3) < 1e-15)
        #expect(abs(DeterministicMath.log(1e-300) - -690.775_527_898_213_7) < 1e-12)
        #expect(DeterministicMath.log(1) == 0)
        #expect(abs(DeterministicMath.exp(1) - 2.718_281_828_459_045) < 1e-15)
        #expect(abs(DeterministicMath.exp(-0.01) - 0.990_049_833_749_168) < 1e-15)
        for x in stride(from: -20.0, through: 20.0, by: 0.37) {
            #expect(abs(DeterministicMath.log(DeterministicMath.exp(x)) - x) < 1e-12)
        }
        #expect(DeterministicMath.log(-1).isNaN)
        #expect(DeterministicMath.log(0) == -.infinity)
    }
}
