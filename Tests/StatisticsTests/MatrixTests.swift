import Foundation
import Testing
@testable import Statistics

@Suite struct MatrixTests {
    let spd = try! Matrix([[4, 12, -16], [12, 37, -43], [-16, -43, 98]])

    @Test func multiplyAndTranspose() throws {
        let a = try Matrix([[1, 2, 3], [4, 5, 6]])
        let b = try Matrix([[7, 8], [9, 10], [11, 12]])
        #expect(try a.multiplied(by: b) == Matrix([[58, 64], [139, 154]]))
        #expect(a.transposed() == (try Matrix([[1, 4], [2, 5], [3, 6]])))
        #expect(try a.multiplied(by: [1, 0, -1]) == [-2, -2])
        #expect(throws: StatisticsError.self) { try a.multiplied(by: a) }
        #expect(throws: StatisticsError.self) { try Matrix([[1, 2], [3]]) }
    }

    @Test func choleskyOfTextbookMatrix() throws {
        // The classic example: L = [[2,0,0],[6,1,0],[-8,5,3]].
        let c = try spd.cholesky()
        #expect(c.lower == (try Matrix([[2, 0, 0], [6, 1, 0], [-8, 5, 3]])))
        #expect(close(c.logDeterminant, Foundation.log(36.0), rel: 1e-14))
        let x = try spd.solveSPD([1, 2, 3])
        #expect(close(try spd.multiplied(by: x), [1, 2, 3], rel: 1e-12, abs: 1e-12))
        let product = try spd.multiplied(by: spd.inverseSPD())
        #expect(product.maxAbsoluteDifference(to: .identity(3)) < 1e-12)
    }

    @Test func notPositiveDefiniteIsAnError() throws {
        let indefinite = try Matrix([[1, 2], [2, 1]])
        #expect(throws: StatisticsError.self) { try indefinite.cholesky() }
        #expect(!indefinite.isPositiveDefinite && !indefinite.isPositiveSemidefinite())
        let singular = try Matrix([[1, 1], [1, 1]])
        #expect(!singular.isPositiveDefinite && singular.isPositiveSemidefinite())
        #expect(spd.isPositiveDefinite && spd.isPositiveSemidefinite())
        #expect(throws: StatisticsError.self) { try singular.inverseSPD() }
    }

    @Test func luSolveInverseAndDeterminant() throws {
        // Needs a row swap at the first pivot.
        let a = try Matrix([[0, 2, 1], [1, 1, 1], [2, 1, 0]])
        let x = try a.solve([5, 4, 4])
        #expect(close(x, [1, 2, 1], rel: 1e-14, abs: 1e-14))
        #expect(close(try a.determinant(), 3, rel: 1e-14))
        #expect(try a.multiplied(by: a.inverse()).maxAbsoluteDifference(to: .identity(3)) < 1e-14)
        #expect(throws: StatisticsError.self) { try Matrix([[1, 2], [2, 4]]).solve([1, 1]) }
        #expect(try Matrix([[1, 2], [2, 4]]).determinant() == 0)
    }

    @Test func symmetricEigendecompositionReconstructs() throws {
        let e = try spd.symmetricEigendecomposition()
        let rebuilt = try e.vectors.multiplied(by: .diagonal(e.values)).multiplied(by: e.vectors.transposed())
        #expect(rebuilt.maxAbsoluteDifference(to: spd) < 1e-10)
        #expect(e.values == e.values.sorted(by: >))
        // Trace and determinant are the sum and product of the eigenvalues.
        #expect(close(e.values.reduce(0, +), 139, rel: 1e-12))
        #expect(close(e.values.reduce(1, *), 36, rel: 1e-9))
    }
}
