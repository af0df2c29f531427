import Foundation
import Randomness
import Testing
import ZebraTestSupport
@testable import DiseaseModeling

/// The logistic family and the exponential term that Langbehn et al. 2004 (Clin Genet 65:267-277) need for the
/// age at onset of Huntington's disease from CAG length: logistic with mean 21.54 + exp(9.556 − 0.146 CAG) and
/// variance 35.55 + exp(17.72 − 0.3269 CAG).
@Suite struct LogisticOnsetTests {
    static let cag = Variable.attribute(0)
    static let langbehn = Distribution(.logistic(
        mean: Predictor(21.54, effects: [Effect(condition: EffectCondition(),
                                                action: .addExp(variable: cag, intercept: 9.556, slope: -0.146))]),
        variance: Predictor(35.55, effects: [Effect(condition: EffectCondition(),
                                                    action: .addExp(variable: cag, intercept: 17.72, slope: -0.3269))])))

    static func patient(cag: Double) -> PatientContext {
        PatientContext(sex: .male, categories: [-1], numbers: [cag], randomEffects: [], stateCount: 2)
    }

    @Test func exponentialTermIsAddedOnTheRawScale() {
        guard case .logistic(let mean, let variance) = Self.langbehn.family else { Issue.record("family"); return }
        // Reference values computed by hand from the published formula.
        #expect(abs(mean.value(in: Self.patient(cag: 45)) - (21.54 + exp(9.556 - 0.146 * 45))) < 1e-12)
        #expect(abs(mean.value(in: Self.patient(cag: 45)) - 41.3465) < 1e-3)
        #expect(abs(variance.value(in: Self.patient(cag: 40)) - 139.51) < 0.01)
        // A missing value (NaN) adds nothing, like every other per-variable term.
        #expect(mean.value(in: Self.patient(cag: .nan)) == 21.54)
    }

    @Test(arguments: [-2.5, -1.0, 0.0, 0.7, 2.2])
    func quantileAndImageAreInverse(z: Double) {
        let p = Self.patient(cag: 44)
        let x = Self.langbehn.quantile(ofStandardNormal: z, in: p)
        #expect(abs(Self.langbehn.standardNormalImage(of: x, in: p) - z) < 1e-9)
    }

    /// Draws match the logistic's mean, variance and median; the scale is √(3 var)/π.
    @Test(arguments: [UInt64(1), 2, 3])
    func drawsHaveTheStatedMoments(seed: UInt64) {
        let p = Self.patient(cag: 42)
        let mean = 21.54 + exp(9.556 - 0.146 * 42), variance = 35.55 + exp(17.72 - 0.3269 * 42)
        var rng = RandomStream(seed: seed, stream: 9)
        let n = 40_000
        let draws = (0..<n).map { _ in Self.langbehn.sample(in: p, using: &rng) }
        #expect(draws.count == n)
        let m = draws.reduce(0, +) / Double(n)
        let v = draws.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(n - 1)
        #expect(abs(m - mean) < 4 * (variance / Double(n)).squareRoot())
        #expect(abs(v / variance - 1) < 0.05)
        // The share below the mean minus one scale unit is 1/(1+e) for a logistic.
        let scale = (3 * variance).squareRoot() / Double.pi
        let below = Double(draws.filter { $0 < mean - scale }.count) / Double(n)
        #expect(abs(below - 1 / (1 + exp(1.0))) < 0.01)
    }

    /// Truncation by inversion keeps draws inside [min, max].
    @Test func truncatedDrawsStayInBounds() {
        var d = Self.langbehn
        d.minimum = 2
        d.maximum = 90
        var rng = RandomStream(seed: 5, stream: 1)
        let draws = (0..<5000).map { _ in d.sample(in: Self.patient(cag: 41), using: &rng) }
        #expect(draws.count == 5000)
        #expect(draws.allSatisfy { $0 >= 2 && $0 <= 90 })
    }
}
