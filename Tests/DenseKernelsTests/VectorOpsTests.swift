import Foundation
import Randomness
import Testing

@testable import DenseKernels

@Suite struct VectorOpsTests {
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var random = RandomStream(seed: seed, stream: 3)
        return (0..<count).map { _ in Float(random.nextUnit() * 4 - 2) }
    }

    @Test(arguments: [0, 1, 7, 8, 9, 33])
    func axpyScaleMultiplyDot(count: Int) {
        let x = Self.values(count, seed: 1), y0 = Self.values(count, seed: 2)
        var y = y0
        VectorOps.axpy(0.5, x, &y)
        #expect(y == zip(x, y0).map { $1 + 0.5 * $0 })
        VectorOps.scale(&y, by: -2)
        #expect(y == zip(x, y0).map { -2 * ($1 + 0.5 * $0) })
        #expect(VectorOps.multiply(x, y0) == zip(x, y0).map { $0 * $1 })
        let dot = zip(x, y0).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        #expect(abs(VectorOps.dot(x, y0) - dot) <= 1e-5)
        #expect(abs(VectorOps.sumOfSquares(x) - x.reduce(0.0) { $0 + Double($1) * Double($1) }) <= 1e-5)
    }

    @Test func longDotIsAccurate() {
        let x = Self.values(1000, seed: 4), y = Self.values(1000, seed: 5)
        let exact = zip(x, y).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        #expect(abs(VectorOps.dot(x, y) - exact) <= 1e-4)
    }

    @Test(arguments: [(3, 5), (4, 8), (2, 17)])
    func broadcastColumnSumsTranspose(rows: Int, columns: Int) {
        let x = Self.values(rows * columns, seed: 6), bias = Self.values(columns, seed: 7)
        var shifted = x
        MatrixOps.addRowBroadcast(bias, to: &shifted, rows: rows, columns: columns)
        for i in 0..<rows {
            for j in 0..<columns { #expect(shifted[i * columns + j] == x[i * columns + j] + bias[j]) }
        }
        let sums = MatrixOps.columnSums(x, rows: rows, columns: columns)
        for j in 0..<columns {
            let expected = (0..<rows).reduce(Float(0)) { $0 + x[$1 * columns + j] }
            #expect(abs(sums[j] - expected) <= 1e-5)
        }
        let t = MatrixOps.transpose(x, rows: rows, columns: columns)
        for i in 0..<rows {
            for j in 0..<columns { #expect(t[j * rows + i] == x[i * columns + j]) }
        }
    }

    @Test func transcendentalsMatchFoundation() {
        var worstExp = 0.0, worstSigmoid = 0.0, worstTanh = 0.0
        var x: Float = -20
        while x <= 20 {
            let v = SIMD8<Float>(repeating: x)
            let e = Double(VectorMath.exp(v)[0]), exact = Foundation.exp(Double(x))
            worstExp = max(worstExp, abs(e - exact) / exact)
            worstSigmoid = max(worstSigmoid,
                               abs(Double(VectorMath.sigmoid(v)[3]) - 1 / (1 + Foundation.exp(-Double(x)))))
            let t = Double(VectorMath.tanh(v)[7]), exactTanh = Foundation.tanh(Double(x))
            worstTanh = max(worstTanh, abs(t - exactTanh) / max(abs(exactTanh), 1e-30))
            x += 0.0137
        }
        #expect(worstExp < 5e-7)
        #expect(worstSigmoid < 2e-7)
        #expect(worstTanh < 5e-7)
        #expect(VectorMath.tanh(1e-4) == 1e-4)
        #expect(VectorMath.exp(-200) >= 0 && VectorMath.exp(200).isFinite)
    }

    @Test func bufferFormsApplyToTails() {
        var x: [Float] = (0..<11).map { Float($0) / 4 - 1 }
        let expected = x.map { Float(Foundation.tanh(Double($0))) }
        x.withUnsafeMutableBufferPointer { VectorMath.tanh($0) }
        #expect(x.count == 11 && expected.count == x.count)
        #expect(zip(x, expected).allSatisfy { abs($0 - $1) < 1e-6 })
    }
}
