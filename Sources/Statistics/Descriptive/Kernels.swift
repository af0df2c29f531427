/// Summation kernels shared by the descriptive routines. Four independent accumulators let the
/// compiler keep several additions in flight; the order of summation is fixed, so results are
/// reproducible across runs.
enum Kernel {
    /// `sum(x)`, throwing if it is not finite: a finite sum proves every element finite (NaN and
    /// infinities propagate), so one pass both sums and validates.
    static func checkedSum(_ x: [Double], _ context: String) throws -> Double {
        let s = sum(x)
        if !s.isFinite {
            try Check.finite(x, context)
            throw StatisticsError.invalidArgument("\(context): the sum overflows")
        }
        return s
    }

    static func sum(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { p in
            let n = p.count
            var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
            var i = 0
            while i + 4 <= n {
                s0 += p[i]; s1 += p[i + 1]; s2 += p[i + 2]; s3 += p[i + 3]
                i += 4
            }
            while i < n { s0 += p[i]; i += 1 }
            return (s0 + s1) + (s2 + s3)
        }
    }

    /// The sum of squared deviations from `center`.
    static func sumOfSquares(_ x: [Double], about center: Double) -> Double {
        x.withUnsafeBufferPointer { p in
            let n = p.count
            var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
            var i = 0
            while i + 4 <= n {
                let d0 = p[i] - center, d1 = p[i + 1] - center
                let d2 = p[i + 2] - center, d3 = p[i + 3] - center
                s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3
                i += 4
            }
            while i < n { let d = p[i] - center; s0 += d * d; i += 1 }
            return (s0 + s1) + (s2 + s3)
        }
    }

    /// The sum of cross products of deviations, `Σ (x - mx)(y - my)`; equal lengths assumed.
    static func sumOfCrossProducts(_ x: [Double], _ mx: Double, _ y: [Double], _ my: Double) -> Double {
        x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                let n = px.count
                var s0 = 0.0, s1 = 0.0
                var i = 0
                while i + 2 <= n {
                    s0 += (px[i] - mx) * (py[i] - my)
                    s1 += (px[i + 1] - mx) * (py[i + 1] - my)
                    i += 2
                }
                if i < n { s0 += (px[i] - mx) * (py[i] - my) }
                return s0 + s1
            }
        }
    }

    /// `Σ w x` and `Σ w`; equal lengths assumed.
    static func weightedSum(_ x: [Double], _ w: [Double]) -> (sum: Double, weight: Double) {
        x.withUnsafeBufferPointer { px in
            w.withUnsafeBufferPointer { pw in
                var s0 = 0.0, s1 = 0.0, w0 = 0.0, w1 = 0.0
                let n = px.count
                var i = 0
                while i + 2 <= n {
                    s0 += pw[i] * px[i]; s1 += pw[i + 1] * px[i + 1]
                    w0 += pw[i]; w1 += pw[i + 1]
                    i += 2
                }
                if i < n { s0 += pw[i] * px[i]; w0 += pw[i] }
                return (s0 + s1, w0 + w1)
            }
        }
    }
}
