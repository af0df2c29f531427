import Testing
import Randomness
@testable import DifferentialPrivacy

@Suite struct DPSGDTests {
    @Test(arguments: [0.003, 0.03, 0.5])
    func poissonBatchesHaveTheRightRate(q: Double) {
        let n = 5000, batches = 400
        var random = RandomStream(seed: 11, stream: 3)
        var sizes: [Double] = []
        var inclusions = [Int](repeating: 0, count: n)
        for _ in 0..<batches {
            let batch = DPSGD.poissonSample(count: n, rate: q, using: &random)
            #expect(zip(batch, batch.dropFirst()).allSatisfy { $0 < $1 })
            #expect(batch.allSatisfy { $0 >= 0 && $0 < n })
            sizes.append(Double(batch.count))
            for i in batch { inclusions[i] += 1 }
        }
        let mean = sizes.reduce(0, +) / Double(batches)
        let variance = sizes.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(batches - 1)
        let expectedMean = Double(n) * q, expectedVar = Double(n) * q * (1 - q)
        #expect(abs(mean - expectedMean) < 4 * (expectedVar / Double(batches)).squareRoot())
        #expect(abs(variance / expectedVar - 1) < 0.25)
        // No position is favoured: the first and last fifths are included equally often.
        let fifth = n / 5
        let head = Double(inclusions[..<fifth].reduce(0, +))
        let tail = Double(inclusions[(n - fifth)...].reduce(0, +))
        let expected = Double(fifth * batches) * q
        let sd = (expected * (1 - q)).squareRoot()
        #expect(abs(head - expected) < 4 * sd)
        #expect(abs(tail - expected) < 4 * sd)
    }

    @Test func poissonEdgeRatesAndDeterminism() {
        var r = RandomStream(seed: 1)
        #expect(DPSGD.poissonSample(count: 7, rate: 1, using: &r) == Array(0..<7))
        #expect(DPSGD.poissonSample(count: 7, rate: 0, using: &r).isEmpty)
        #expect(DPSGD.poissonSample(count: 0, rate: 0.5, using: &r).isEmpty)
        var a = RandomStream(seed: 5, stream: 9), b = RandomStream(seed: 5, stream: 9)
        #expect(DPSGD.poissonSample(count: 1000, rate: 0.1, using: &a)
            == DPSGD.poissonSample(count: 1000, rate: 0.1, using: &b))
    }

    @Test func clippingScalesLongGradientsOnly() {
        var long: [Double] = [3, 4, 0, 12, 0]  // norm 13
        let scale = DPSGD.clip(&long, maxNorm: 1.3)
        #expect(abs(scale - 0.1) < 1e-15)
        #expect(long.map { ($0 * 10).rounded() / 10 } == [0.3, 0.4, 0, 1.2, 0])
        var short: [Double] = [0.3, 0.4]
        #expect(DPSGD.clip(&short, maxNorm: 1) == 1)
        #expect(short == [0.3, 0.4])
        var broken: [Double] = [1, .infinity, 2]
        #expect(DPSGD.clip(&broken, maxNorm: 1) == 0)
        #expect(broken == [0, 0, 0])
        var single: [Float] = [6, 8]
        #expect(abs(DPSGD.clip(&single, maxNorm: 5) - 0.5) < 1e-15)
        #expect(single == [3, 4])
    }

    @Test func noiseHasStandardDeviationSigmaTimesC() throws {
        var sum = [Double](repeating: 1, count: 20000)
        var random = RandomStream(seed: 2, stream: 0)
        DPSGD.addNoise(to: &sum, noiseMultiplier: 2, clipNorm: 0.75, using: &random)
        let mean = sum.reduce(0, +) / Double(sum.count)
        let sd = (sum.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(sum.count - 1)).squareRoot()
        #expect(abs(mean - 1) < 4 * 1.5 / Double(sum.count).squareRoot())
        #expect(abs(sd / 1.5 - 1) < 0.03)
        var floats = [Float](repeating: 0, count: 4)
        var again = RandomStream(seed: 2, stream: 0)
        DPSGD.addNoise(to: &floats, noiseMultiplier: 2, clipNorm: 0.75, using: &again)
        // The Float buffer gets the first 4 of the same draws.
        try #require(floats.count == 4 && sum.count == 20000)
        for (f, d) in zip(floats, sum) { #expect(abs(Double(f) - (d - 1)) < 1e-6) }
    }
}
