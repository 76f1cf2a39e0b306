/// Natural log and exp from IEEE basic operations only, so results do not depend on the
/// platform's libm: the same inputs give the same bits everywhere.
public enum DeterministicMath {
    private static let ln2 = 0.693_147_180_559_945_309_417_232_121_458
    private static let sqrt2 = 1.414_213_562_373_095_048_801_688_724_209

    /// ln(x) for finite x > 0; returns -infinity for 0 and NaN for negative or NaN input.
    public static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return .infinity }
        var exponent = Double(Int(x.exponent))
        var m = x.significand
        if m > sqrt2 {
            m /= 2
            exponent += 1
        }
        let z = (m - 1) / (m + 1)
        let z2 = z * z
        var term = z
        var sum = 0.0
        var k = 1.0
        for _ in 0..<14 {
            sum += term / k
            term *= z2
            k += 2
        }
        return 2 * sum + exponent * ln2
    }

    /// e^x; saturates to +infinity above 709 and to 0 below -745.
    public static func exp(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x > 709 { return .infinity }
        if x < -745 { return 0 }
        let k = (x / ln2).rounded()
        let r = x - k * ln2
        var term = 1.0
        var sum = 1.0
        for n in 1...22 {
            term *= r / Double(n)
            sum += term
        }
        return Double(sign: .plus, exponent: Int(k), significand: sum)
    }
}
