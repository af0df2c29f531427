import Testing
@testable import Plotting

@Suite struct NiceScaleTests {
    @Test(arguments: [
        (0.3, 2, -1), (1.0, 1, 0), (1.5, 2, 0), (4.0, 5, 0), (7.5, 1, 1), (0.00154, 2, -3), (19105.0, 2, 4),
    ])
    func stepIsOneTwoOrFive(raw: Double, mantissa: Int, exponent: Int) {
        let step = NiceScale.niceStep(raw: raw)
        #expect(step.mantissa == mantissa)
        #expect(step.exponent == exponent)
    }

    @Test func unitInterval() {
        let s = NiceScale(minimum: 0, maximum: 1, targetTickCount: 5)
        #expect(s.ticks == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        #expect(s.labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(s.lower == 0 && s.upper == 1)
    }

    @Test func zeroToTen() {
        let s = NiceScale(minimum: 0, maximum: 10, targetTickCount: 5)
        #expect(s.ticks == [0, 2, 4, 6, 8, 10])
        #expect(s.labels == ["0", "2", "4", "6", "8", "10"])
    }

    @Test func rangeIsWidenedToEnclosingTicks() {
        let s = NiceScale(minimum: -3.7, maximum: 12.1, targetTickCount: 5)
        #expect(s.step == 2)
        #expect(s.lower == -4 && s.upper == 14)
        #expect(s.ticks.first == -4 && s.ticks.last == 14 && s.ticks.count == 10)
    }

    @Test func smallAndLargeMagnitudes() {
        let small = NiceScale(minimum: 0.001, maximum: 0.0087, targetTickCount: 5)
        #expect(small.ticks == [0, 0.002, 0.004, 0.006, 0.008, 0.01])
        #expect(small.decimals == 3)
        let large = NiceScale(minimum: 12345, maximum: 98765, targetTickCount: 4)
        #expect(large.ticks == [0, 20000, 40000, 60000, 80000, 100000])
        #expect(large.decimals == 0)
    }

    @Test func fixedRangeIsKept() {
        let s = NiceScale(minimum: 0, maximum: 0.95, targetTickCount: 5, expand: false)
        #expect(s.lower == 0 && s.upper == 0.95)
        #expect(s.ticks == [0, 0.2, 0.4, 0.6, 0.8])
    }

    @Test func degenerateInputsStillGiveAnAxis() {
        let flat = NiceScale(minimum: 5, maximum: 5)
        #expect(flat.lower < 5 && flat.upper > 5 && flat.ticks.count >= 2)
        let zero = NiceScale(minimum: 0, maximum: 0)
        #expect(zero.lower <= -1 && zero.upper >= 1)
        let nan = NiceScale(minimum: .nan, maximum: 3)
        #expect(nan.lower == 0 && nan.upper == 1)
        let inf = NiceScale(minimum: 0, maximum: .infinity)
        #expect(inf.lower == 0 && inf.upper == 1)
    }

    @Test func linearScaleMapsEndsAndMiddle() {
        let s = LinearScale(domainLower: 0, domainUpper: 100, rangeStart: 350, rangeEnd: 42)
        #expect(s.map(0) == 350)
        #expect(s.map(100) == 42)
        #expect(s.map(50) == 196)
    }
}
