import Testing
@testable import Statistics

@Suite struct DistributionTests {
    @Test(arguments: [
        // scipy.special.gammaln
        (0.1, 2.252712651734206), (0.5, 0.5723649429247), (1.5, -0.120782237635245),
        (3.7, 1.428072326665388), (12.5, 18.73434751193645), (150.0, 600.0094705553274),
    ])
    func logGamma(x: Double, expected: Double) {
        #expect(close(SpecialFunctions.logGamma(x), expected, rel: 1e-13))
    }

    @Test(arguments: [
        // scipy.special.betaln, the first two from mpmath (40 digits; scipy's betaln is off by 3e-11
        // there); they lose ~6 digits if computed as differences of log-gammas.
        (5e5, 0.5, -5.988816495777464), (1e6, 3.5e5, -772584.2572356212), (3.0, 40.0, -10.446973958541667),
        (0.7, 2.5, -0.3398547101503229),
    ])
    func logBeta(a: Double, b: Double, expected: Double) {
        #expect(close(SpecialFunctions.logBeta(a, b), expected, rel: 1e-13))
    }

    @Test(arguments: [
        // scipy.special.gammainc / gammaincc
        (0.5, 0.2, 0.472910743134462, 0.527089256865538), (2.0, 1.0, 0.264241117657115, 0.735758882342885),
        (5.0, 9.0, 0.945036358504895, 0.054963641495105), (30.0, 20.0, 0.021818217525557, 0.978181782474443),
        (100.0, 130.0, 0.997249591632693, 0.002750408367307),
    ])
    func incompleteGamma(a: Double, x: Double, p: Double, q: Double) {
        #expect(close(SpecialFunctions.regularizedGammaP(a, x), p, rel: 1e-12))
        #expect(close(SpecialFunctions.regularizedGammaQ(a, x), q, rel: 1e-12))
    }

    @Test(arguments: [
        // scipy.special.betainc(a, b, x)
        (0.3, 2.0, 3.0, 0.3483), (0.9, 0.5, 0.5, 0.795167235300867),
        (0.01, 5.0, 0.5, 2.471257808639544e-11), (0.7, 40.0, 20.0, 0.700178324747706),
    ])
    func incompleteBeta(x: Double, a: Double, b: Double, expected: Double) {
        #expect(close(SpecialFunctions.regularizedBeta(x, a: a, b: b), expected, rel: 1e-12))
    }

    @Test(arguments: [
        // scipy.stats.t.ppf
        (0.975, 10.0, 2.228138851986274), (0.975, 3.0, 3.182446305283708), (0.995, 1.5, 17.820310514462804),
        (0.9, 2.0, 1.885618083164127), (0.999999, 4.0, 41.5778541501515), (0.6, 25.0, 0.256059684827151),
        (0.025, 7.0, -2.364624251592784), (1e-12, 10.0, -40.5320961786626), (1e-12, 0.3, -3.007185808790975e+38),
        (1e-10, 1.0, -3183098861.8379064), (1 - 1e-10, 1.0, 3183098598.467148),
    ])
    func studentTQuantile(p: Double, df: Double, expected: Double) throws {
        let t = try StudentTDistribution(degreesOfFreedom: df)
        #expect(close(t.quantile(p), expected, rel: 1e-11))
        #expect(close(t.cdf(t.quantile(p)), p, rel: 1e-12))
    }

    @Test(arguments: [
        // scipy.stats.t.cdf / t.sf
        (2.0, 5.0, 0.949030260585071, 0.050969739414929), (-1.3, 12.0, 0.109008585541757, 0.890991414458243),
        (8.0, 3.0, 0.997961711206107, 0.002038288793893), (40.0, 10.0, 0.99999999999886, 1.140428871542877e-12),
        (0.001, 4.0, 0.500374999921875, 0.499625000078125),
        // mpmath (40 digits): large ν, where a · log x magnifies any rounding of x.
        (1.0, 1e6, 0.8413446250832109, 0.15865537491678906),
    ])
    func studentTCDF(t: Double, df: Double, cdf: Double, sf: Double) throws {
        let d = try StudentTDistribution(degreesOfFreedom: df)
        #expect(close(d.cdf(t), cdf, rel: 1e-12))
        #expect(close(d.sf(t), sf, rel: 1e-11))
    }

    @Test func studentTLimitsAndDensity() throws {
        let normal = try StudentTDistribution(degreesOfFreedom: .infinity)
        #expect(close(normal.quantile(0.975), 1.959963984540054, rel: 1e-14))
        let t = try StudentTDistribution(degreesOfFreedom: 1)
        // Cauchy density at 0 is 1/π; its quantile is tan(π (p - ½)).
        #expect(close(t.pdf(0), 1 / Double.pi, rel: 1e-13))
        #expect(close(t.quantile(0.75), 1, rel: 1e-14))
        #expect(t.quantile(1) == .infinity && t.quantile(0) == -.infinity && t.quantile(2).isNaN)
        #expect(throws: StatisticsError.self) { try StudentTDistribution(degreesOfFreedom: 0) }
    }

    @Test(arguments: [
        // scipy.stats.chi2.cdf / chi2.sf
        (3.841458820694124, 1.0, 0.95, 0.05), (10.0, 4.0, 0.959572318005487, 0.040427681994513),
        (0.01, 3.0, 0.000265165058656, 0.999734834941344), (150.0, 100.0, 0.999096067957646, 0.000903932042354),
        (80.0, 10.0, 0.999999999999498, 5.020464318829132e-13),
    ])
    func chiSquareCDF(x: Double, k: Double, cdf: Double, sf: Double) throws {
        let d = try ChiSquaredDistribution(degreesOfFreedom: k)
        #expect(close(d.cdf(x), cdf, rel: 1e-11))
        #expect(close(d.sf(x), sf, rel: 1e-11))
    }

    @Test(arguments: [
        // scipy.stats.chi2.ppf
        (0.95, 1.0, 3.841458820694124), (0.5, 3.0, 2.365973884375338), (0.001, 2.0, 0.002001000667167),
        (0.99, 30.0, 50.89218131151707), (1e-6, 0.5, 1.349939578622339e-24),
    ])
    func chiSquareQuantile(p: Double, k: Double, expected: Double) throws {
        #expect(close(try ChiSquaredDistribution(degreesOfFreedom: k).quantile(p), expected, rel: 1e-10))
    }

    @Test func fDistribution() throws {
        // scipy.stats.f.cdf / f.sf / f.ppf
        let cases: [(Double, Double, Double, Double, Double)] = [
            (2.5, 3, 20, 0.911156248062311, 0.088843751937689),
            (0.5, 5, 7, 0.231415670272084, 0.768584329727916),
            (12.0, 2, 40, 0.999917281938745, 8.271806125530269e-05),
        ]
        for (x, d1, d2, cdf, sf) in cases {
            let f = try FDistribution(numeratorDegreesOfFreedom: d1, denominatorDegreesOfFreedom: d2)
            #expect(close(f.cdf(x), cdf, rel: 1e-11))
            #expect(close(f.sf(x), sf, rel: 1e-11))
        }
        let f320 = try FDistribution(numeratorDegreesOfFreedom: 3, denominatorDegreesOfFreedom: 20)
        #expect(close(f320.quantile(0.95), 3.098391212140781, rel: 1e-10))
        let f57 = try FDistribution(numeratorDegreesOfFreedom: 5, denominatorDegreesOfFreedom: 7)
        #expect(close(f57.quantile(0.1), 0.296921040291969, rel: 1e-10))
    }
}
