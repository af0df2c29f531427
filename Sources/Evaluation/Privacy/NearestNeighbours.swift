/// The nearest neighbour of each record among others, by Euclidean distance of standardised
/// patient features (brute force: cohorts here are hundreds to a few thousand records).
package enum NearestNeighbours {
    /// For each row of `queries`, the distance to and index of the nearest row of `references`
    /// (the lowest index among ties). `columns` restricts the distance to some features (all when
    /// nil); `excludingSelf` skips the reference with the query's own index, for a sample
    /// against itself (leave-one-out).
    package static func nearest(from queries: FeatureMatrix, to references: FeatureMatrix, columns: [Int]? = nil,
                               excludingSelf: Bool = false) -> [(distance: Double, index: Int)] {
        precondition(queries.columns == references.columns, "feature dimensions differ")
        let p = queries.columns
        var weights = [Double](repeating: columns == nil ? 1 : 0, count: p)
        for j in columns ?? [] { weights[j] = 1 }
        let n = references.rows
        var out: [(distance: Double, index: Int)] = []
        out.reserveCapacity(queries.rows)
        queries.values.withUnsafeBufferPointer { q in
            references.values.withUnsafeBufferPointer { r in
                weights.withUnsafeBufferPointer { w in
                    for i in 0..<queries.rows {
                        var best = Double.infinity, bestIndex = -1
                        let qi = i * p
                        for k in 0..<n where !(excludingSelf && k == i) {
                            let rk = k * p
                            var s0 = 0.0, s1 = 0.0
                            var j = 0
                            while j + 1 < p {
                                let d0 = q[qi + j] - r[rk + j], d1 = q[qi + j + 1] - r[rk + j + 1]
                                s0 += w[j] * d0 * d0
                                s1 += w[j + 1] * d1 * d1
                                j += 2
                            }
                            if j < p {
                                let d = q[qi + j] - r[rk + j]
                                s0 += w[j] * d * d
                            }
                            let s = s0 + s1
                            if s < best {
                                best = s
                                bestIndex = k
                            }
                        }
                        out.append((bestIndex < 0 ? .infinity : best.squareRoot(), bestIndex))
                    }
                }
            }
        }
        return out
    }

    /// Distances only.
    package static func distances(from queries: FeatureMatrix, to references: FeatureMatrix,
                                 excludingSelf: Bool = false) -> [Double] {
        nearest(from: queries, to: references, excludingSelf: excludingSelf).map(\.distance)
    }
}
