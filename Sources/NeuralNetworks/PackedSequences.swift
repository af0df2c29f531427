/// Variable-length sequences laid out time-major for the GRU, zero-padded past each end.
///
/// Row t·batch + b holds step t of sequence b, so each step's batch is one contiguous matrix and
/// all steps together are one (steps·batch)×features matrix for the fused input projection.
package struct PackedSequences: Sendable, Equatable {
    package let steps: Int
    package let features: Int
    package let lengths: [Int]
    /// steps×batch×features values.
    package let values: [Float]

    /// Number of sequences.
    package var batch: Int { lengths.count }

    /// Packs sequences given row-major (length×features each); `steps` defaults to the longest.
    package init(_ sequences: [[Float]], features: Int, steps: Int? = nil) {
        precondition(features > 0 && sequences.allSatisfy { $0.count % features == 0 },
                     "PackedSequences: a sequence is not a whole number of \(features)-wide rows")
        let lengths = sequences.map { $0.count / features }
        let steps = steps ?? (lengths.max() ?? 0)
        precondition(lengths.allSatisfy { $0 <= steps }, "PackedSequences: a sequence is longer than \(steps) steps")
        let batch = sequences.count
        var values = [Float](repeating: 0, count: steps * batch * features)
        for (b, sequence) in sequences.enumerated() {
            for t in 0..<lengths[b] {
                let target = (t * batch + b) * features
                values.replaceSubrange(target..<(target + features),
                                       with: sequence[(t * features)..<((t + 1) * features)])
            }
        }
        self.steps = steps
        self.features = features
        self.lengths = lengths
        self.values = values
    }

    /// Splits a time-major steps×batch×width array (a GRU's outputs, say) back into one row-major
    /// length×width array per sequence, dropping the padding.
    package func unpack(_ timeMajor: [Float], width: Int) -> [[Float]] {
        precondition(timeMajor.count == steps * batch * width, "PackedSequences.unpack: not steps × batch × \(width)")
        return (0..<batch).map { b in
            var sequence = [Float]()
            sequence.reserveCapacity(lengths[b] * width)
            for t in 0..<lengths[b] {
                let source = (t * batch + b) * width
                sequence += timeMajor[source..<(source + width)]
            }
            return sequence
        }
    }
}
