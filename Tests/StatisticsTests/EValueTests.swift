import Foundation
import Testing
@testable import Statistics

/// E-values against the worked examples of VanderWeele & Ding (2017) and their formulas.
@Suite struct EValueTests {
    @Test func riskRatioExamplesOfThePaper() {
        // Breastfeeding and infant death: RR 3.9 (95 % CI 1.8 to 8.7) gives E-values 7.26 and 3.00.
        let e = EValue.riskRatio(estimate: 3.9, lower: 1.8, upper: 8.7)
        #expect(abs(e.estimate - 7.26) < 0.005)
        #expect(abs(e.confidenceLimit - 3.0) < 0.005)
        // A protective estimate is inverted: RR 0.5 is as strong as RR 2 (E = 2 + √2 = 3.414).
        #expect(abs(EValue.riskRatio(0.5) - (2 + 2.0.squareRoot())) < 1e-12)
        // A CI containing the null has an E-value of 1 for its limit.
        #expect(EValue.riskRatio(estimate: 1.4, lower: 0.9, upper: 2.1).confidenceLimit == 1)
        #expect(EValue.riskRatio(1) == 1)
    }

    @Test func conversionsToTheRiskRatioScale() {
        #expect(EValue.riskRatio(hazardRatio: 0.6, outcomeIsRare: true) == 0.6)
        let common = EValue.riskRatio(hazardRatio: 0.6, outcomeIsRare: false)
        #expect(abs(common - (1 - pow(0.5, 0.6.squareRoot())) / (1 - pow(0.5, 1 / 0.6.squareRoot()))) < 1e-15)
        #expect(common > 0.6 && common < 1)  // a common outcome's RR lies nearer 1 than its HR
        let d = EValue.riskRatio(difference: -2, standardError: 0.5, outcomeSD: 4)
        #expect(abs(d.estimate - exp(-0.455)) < 1e-12)
        #expect(abs(d.lower - exp(-0.455 - 1.78 * 0.125)) < 1e-12 && abs(d.upper - exp(-0.455 + 1.78 * 0.125)) < 1e-12)
    }
}
