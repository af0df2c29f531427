import Testing
import ZebraSupport

@Suite struct CholeskyTests {
    /// A factor that is exact in binary floating point.
    @Test func factorsKnownMatrix() throws {
        let a: [Double] = [4, 12, -16, 12, 37, -43, -16, -43, 98]
        let l = try choleskyLower(a, dimension: 3, minimumPivot: 0).get()
        #expect(l == [2, 0, 0, 6, 1, 0, -8, 5, 3])
    }

    /// Only the lower triangle is read.
    @Test func readsLowerTriangle() throws {
        let l = try choleskyLower([4, 99, 2, 5], dimension: 2, minimumPivot: 0).get()
        #expect(l == [2, 0, 1, 2])
    }

    /// An indefinite matrix fails at the pivot that goes negative, with its value.
    @Test func reportsFailingPivot() {
        let result = choleskyLower([1, 2, 2, 1], dimension: 2, minimumPivot: 0)
        #expect(throws: CholeskyPivotFailure(pivot: 1, value: -3)) { try result.get() }
    }

    /// Pivots at or below the minimum, and non-finite pivots, are rejected.
    @Test func rejectsSmallAndNonFinitePivots() {
        #expect(throws: CholeskyPivotFailure.self) {
            try choleskyLower([1e-13], dimension: 1, minimumPivot: 1e-12).get()
        }
        #expect(throws: CholeskyPivotFailure.self) {
            try choleskyLower([.infinity], dimension: 1, minimumPivot: 0).get()
        }
        #expect(throws: CholeskyPivotFailure.self) { try choleskyLower([.nan], dimension: 1, minimumPivot: 0).get() }
    }

    /// The 0 × 0 matrix has the empty factor.
    @Test func emptyMatrix() throws {
        #expect(try choleskyLower([], dimension: 0, minimumPivot: 0).get() == [])
    }
}

@Suite struct OrderStatisticsTests {
    /// Empty input has no quantile and no median: nil, never 0.
    @Test func emptyInputIsNil() {
        #expect(quantile(sorted: [], 0.5) == nil)
        #expect(quantile([], 0.1) == nil)
        #expect(median([]) == nil)
    }

    /// Type-7 values, as `numpy.quantile(x, p)` gives them.
    @Test func typeSevenQuantiles() {
        let x: [Double] = [1, 2, 3, 4]
        #expect(quantile(sorted: x, 0) == 1)
        #expect(quantile(sorted: x, 0.25) == 1.75)
        #expect(quantile(sorted: x, 0.5) == 2.5)
        #expect(quantile(sorted: x, 0.9) == 3.7)
        #expect(quantile(sorted: x, 1) == 4)
        #expect(quantile([4, 1, 3, 2], 0.25) == 1.75)
        #expect(quantile(sorted: [7], 0.3) == 7)
    }

    /// The median is the middle value, or the midpoint of the two middle values.
    @Test func medians() {
        #expect(median([5]) == 5)
        #expect(median([3, 1, 2]) == 2)
        #expect(median([4, 1, 3, 2]) == 2.5)
        #expect(median([-1, -1, 10, 0]) == -0.5)
    }
}

@Suite struct FormattingTests {
    /// Thousands separators every three digits, the sign kept in front.
    @Test func counts() {
        #expect(formatCount(0) == "0")
        #expect(formatCount(999) == "999")
        #expect(formatCount(1_000) == "1,000")
        #expect(formatCount(1_234_567) == "1,234,567")
        #expect(formatCount(-1_234) == "-1,234")
        #expect(formatCount(-123_456) == "-123,456")
        #expect(formatCount(Int.min) == "-9,223,372,036,854,775,808")
    }

    /// VmHWM is read in kB and given in MiB; a status without it gives nil.
    @Test func peakMemoryFromProcStatus() {
        let status = "Name:\tzebra\nVmPeak:\t  409600 kB\nVmHWM:\t    2048 kB\nVmRSS:\t    1024 kB\n"
        #expect(peakResidentMegabytes(procStatus: status) == 2)
        #expect(peakResidentMegabytes(procStatus: "Name:\tzebra\n") == nil)
    }

    #if os(Linux)
    /// This test process has a peak resident size.
    @Test func peakMemoryOfThisProcess() throws {
        let megabytes = try #require(peakResidentMegabytes())
        #expect(megabytes > 0)
    }
    #endif
}
