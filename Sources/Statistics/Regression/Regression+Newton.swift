import Foundation

/// What a Newton–Raphson step needs at one parameter value: the objective to maximize, its
/// gradient and the information (minus its Hessian).
protocol NewtonPoint {
    var objective: Double { get }
    var gradient: [Double] { get }
    var information: Matrix { get }
}

/// Newton–Raphson maximization shared by the logistic and Cox fits.
enum Newton {
    /// Maximizes a concave objective from `start`. Each step is halved until the objective does
    /// not decrease (a full Newton step can overshoot far from the optimum); convergence is
    /// `|Δβⱼ| <= tolerance · (1 + |βⱼ|)` for every coordinate. `annotate` may reword a
    /// singular-information error given the iteration it occurred in.
    static func maximize<Point: NewtonPoint>(
        start: [Double], names: [String], tolerance: Double, maxIterations: Int, context: String,
        annotate: (StatisticsError, Int) -> StatisticsError = { error, _ in error },
        evaluate: ([Double]) -> Point
    ) throws -> (beta: [Double], point: Point, iterations: Int)? {
        var beta = start
        var current = evaluate(beta)
        for iteration in 1...Swift.max(1, maxIterations) {
            let inverse: Matrix
            do {
                inverse = try Design.inverseInformation(current.information, names: names, context: context)
            } catch let error as StatisticsError {
                throw annotate(error, iteration)
            }
            let step = try inverse.multiplied(by: current.gradient)
            var scale = 1.0, candidate = beta, next = current
            for _ in 0..<30 {
                candidate = beta.indices.map { beta[$0] + scale * step[$0] }
                next = evaluate(candidate)
                if next.objective >= current.objective - 1e-12 * Swift.abs(current.objective) { break }
                scale /= 2
            }
            let converged = beta.indices.allSatisfy {
                Swift.abs(candidate[$0] - beta[$0]) <= tolerance * (1 + Swift.abs(beta[$0]))
            }
            beta = candidate
            current = next
            if converged { return (beta, current, iteration) }
        }
        return nil
    }
}
