import Randomness
import Testing

/// A natural-history pool draws thousands of lives; onset ages with a narrow log-normal and a
/// lower bound put the truncated normal 40 SD into its tail for about 1 in 15,000 patients,
/// where both CDF values underflow (this crashed the FA pool at candidate 744 of seed 1).
@Test func truncatedNormalFarInTheTailReturnsTheBound() {
    var rng = RandomStream(seed: 1, stream: 2)
    #expect(rng.nextTruncatedNormal(lower: 40, upper: .infinity) == 40)
    #expect(rng.nextTruncatedNormal(lower: 45, upper: 4_000) == 45)
    for _ in 0..<10_000 {
        let z = rng.nextTruncatedNormal(lower: 7.03, upper: 40)
        #expect(z >= 7.03 && z <= 40)
    }
}
