import Testing
@testable import DifferentialPrivacy

@Suite struct NoiseCalibrationTests {
    @Test(arguments: [
        (1.0, 1e-5, 0.01, 10000),
        (3.0, 1e-5, 0.004, 5000),
        (8.0, 1e-3, 0.1, 2000),
        (0.5, 1e-6, 1.0, 20),
    ])
    func calibratedNoiseReachesTheTarget(epsilon: Double, delta: Double, q: Double, steps: Int) throws {
        let budget = try PrivacyBudget(epsilon: epsilon, delta: delta)
        let g = try NoiseCalibration.noiseMultiplier(budget: budget, sampleRate: q, steps: steps)
        #expect(g.epsilon <= epsilon)
        #expect(g.epsilon >= 0.99 * epsilon)
        // Smallest: a slightly smaller σ overshoots.
        let less = try RDPAccountant.guarantee(
            sampleRate: q, noiseMultiplier: g.noiseMultiplier * 0.999, steps: steps, delta: delta)
        #expect(less.epsilon > epsilon)
        let again = try RDPAccountant.guarantee(
            sampleRate: q, noiseMultiplier: g.noiseMultiplier, steps: steps, delta: delta)
        #expect(again == g)
    }

    @Test func recoversTheReferenceNoiseMultiplier() throws {
        let budget = try PrivacyBudget(epsilon: 5.632, delta: 1e-5)
        let g = try NoiseCalibration.noiseMultiplier(budget: budget, sampleRate: 0.01, steps: 10000)
        #expect(abs(g.noiseMultiplier - 1.1) < 0.001)
    }

    @Test func unreachableTargetIsRefused() throws {
        let budget = try PrivacyBudget(epsilon: 0.01, delta: 1e-5)
        do {
            _ = try NoiseCalibration.noiseMultiplier(
                budget: budget, sampleRate: 1, steps: 1_000_000, maxNoiseMultiplier: 1000)
            Issue.record("an unreachable target was accepted")
        } catch let e as PrivacyAccountingError {
            #expect(e.kind == .unreachableTarget)
            #expect(e.message.contains("cannot be reached"))
        }
    }

    @Test func invalidCalibrationInputsAreRefused() throws {
        let budget = try PrivacyBudget(epsilon: 1, delta: 1e-5)
        #expect(throws: PrivacyAccountingError.self) {
            try NoiseCalibration.noiseMultiplier(budget: budget, sampleRate: 0, steps: 10)
        }
        #expect(throws: PrivacyAccountingError.self) {
            try NoiseCalibration.noiseMultiplier(budget: budget, sampleRate: 0.1, steps: 0)
        }
        #expect(throws: PrivacyAccountingError.self) {
            try NoiseCalibration.noiseMultiplier(budget: budget, sampleRate: 1.01, steps: 10)
        }
    }
}
