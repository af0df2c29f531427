import DenseKernels

extension GRU {
    /// Runs the GRU over a batch of sequences and keeps what `backward` needs.
    ///
    /// The input projection of every step is one GEMM ((steps·batch)×in · in×3H); only the
    /// batch×H · H×3H recurrent product and the fused gate arithmetic run per step.
    /// - Parameters:
    ///   - inputs: steps×batch×inputSize, time-major.
    ///   - lengths: valid steps per sequence (0...steps); the batch size is `lengths.count`.
    ///   - initialState: batch×hiddenSize, zeros when nil.
    package func forward(
        inputs: [Float], lengths: [Int], steps: Int, initialState: [Float]? = nil,
        parameters: [Float], threads: Int = 1
    ) -> GRUTrace {
        var trace = GRUTrace()
        forward(
            inputs: inputs, lengths: lengths, steps: steps, initialState: initialState,
            parameters: parameters, threads: threads, into: &trace)
        return trace
    }

    /// `forward` into an existing trace, reusing its storage (see `GRUTrace`).
    package func forward(
        inputs: [Float], lengths: [Int], steps: Int, initialState: [Float]? = nil,
        parameters: [Float], threads: Int = 1, into trace: inout GRUTrace
    ) {
        let batch = lengths.count
        let h = hiddenSize, g = 3 * hiddenSize
        precondition(inputs.count == steps * batch * inputSize,
                     "GRU.forward: inputs are not steps × batch × \(inputSize)")
        precondition(lengths.allSatisfy { (0...steps).contains($0) }, "GRU.forward: a length is outside 0...steps")
        precondition(initialState.map { $0.count == batch * h } ?? true,
                     "GRU.forward: initial state is not batch × \(h)")
        (trace.steps, trace.batch, trace.hiddenSize) = (steps, batch, h)
        trace.lengths = lengths
        trace.inputs = inputs
        trace.gates.resetToZeros(count: steps * batch * g)
        trace.states.resetToZeros(count: (steps + 1) * batch * h)
        trace.hiddenCandidates.resetToZeros(count: steps * batch * h)
        trace.outputs.resetToZeros(count: steps * batch * h)
        trace.recurrent.resetToZeros(count: batch * g)
        if let initialState {
            trace.states.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: initialState) }
        }
        withBuffers(inputs, parameters) { x, p in
            withMutableBuffers(&trace.gates, &trace.states, &trace.hiddenCandidates) { gates, states, candidates in
                withMutableBuffers(&trace.outputs, &trace.recurrent) { outputs, recurrent in
                    // Gate pre-activations from the inputs, all steps at once; the cell then
                    // overwrites them with the activations r, z, n.
                    let active = Self.activeRows(lengths: lengths, steps: steps)
                    if active.reduce(0, +) == steps * batch {
                        Gemm.ab(x, p.slice(weightInput), gates, m: steps * batch, n: g, k: inputSize, threads: threads)
                        MatrixOps.addRowBroadcast(p.slice(biasInput), to: gates, rows: steps * batch, columns: g)
                    } else {
                        // Sorted lengths: project only the rows of running sequences, step by step.
                        for t in 0..<steps where active[t] > 0 {
                            let range = (t * batch)..<(t * batch + active[t])
                            let rowGates = gates.rows(range, columns: g)
                            Gemm.ab(x.rows(range, columns: inputSize), p.slice(weightInput), rowGates,
                                    m: active[t], n: g, k: inputSize, threads: threads)
                            MatrixOps.addRowBroadcast(p.slice(biasInput), to: rowGates, rows: active[t], columns: g)
                        }
                    }
                    for t in 0..<steps {
                        let previous = states.rows((t * batch)..<((t + 1) * batch), columns: h).readOnly
                        // With lengths sorted longest first, only the first active(t) rows still run.
                        Gemm.ab(previous.rows(0..<active[t], columns: h), p.slice(weightHidden), recurrent,
                                m: active[t], n: g, k: h, threads: threads)
                        for b in 0..<batch {
                            let row = t * batch + b
                            let next = states.baseAddress! + (row + batch) * h
                            guard t < lengths[b] else {
                                next.update(from: previous.baseAddress! + b * h, count: h)
                                continue
                            }
                            Self.cellForward(
                                hidden: h, gates: gates.baseAddress! + row * g,
                                recurrent: recurrent.baseAddress! + b * g, biasHidden: p.slice(biasHidden).baseAddress!,
                                previous: previous.baseAddress! + b * h, next: next,
                                candidate: candidates.baseAddress! + row * h)
                            (outputs.baseAddress! + row * h).update(from: next, count: h)
                        }
                    }
                }
            }
        }
    }

    /// Per step, the number of leading rows whose sequences are still running: all of the batch
    /// unless the lengths are sorted longest first, when finished sequences drop off the end and
    /// the per-step products skip them (PyTorch's packed sequences do the same).
    static func activeRows(lengths: [Int], steps: Int) -> [Int] {
        let batch = lengths.count
        let sorted = zip(lengths, lengths.dropFirst()).allSatisfy { $0 >= $1 }
        guard sorted else { return [Int](repeating: batch, count: steps) }
        return (0..<steps).map { t in lengths.firstIndex { $0 <= t } ?? batch }
    }

    /// The gate arithmetic of one sequence at one step, eight hidden units at a time.
    ///
    /// On entry `gates` holds x W_ih + b_ih and `recurrent` holds h W_hh (without b_hh); on exit
    /// `gates` holds r, z, n, `candidate` holds h W_hn + b_hn and `next` the new state.
    @inline(__always)
    static func cellForward(
        hidden h: Int, gates: UnsafeMutablePointer<Float>, recurrent: UnsafeMutablePointer<Float>,
        biasHidden: UnsafePointer<Float>, previous: UnsafePointer<Float>, next: UnsafeMutablePointer<Float>,
        candidate: UnsafeMutablePointer<Float>
    ) {
        var j = 0
        while j < h {
            let w = min(8, h - j)
            let r = VectorMath.sigmoid(
                Lanes.load(gates + j, count: w) + Lanes.load(recurrent + j, count: w)
                    + Lanes.load(biasHidden + j, count: w))
            let z = VectorMath.sigmoid(
                Lanes.load(gates + h + j, count: w) + Lanes.load(recurrent + h + j, count: w)
                    + Lanes.load(biasHidden + h + j, count: w))
            let hn = Lanes.load(recurrent + 2 * h + j, count: w) + Lanes.load(biasHidden + 2 * h + j, count: w)
            let n = VectorMath.tanh(Lanes.load(gates + 2 * h + j, count: w) + r * hn)
            let hp = Lanes.load(previous + j, count: w)
            Lanes.store(r, gates + j, count: w)
            Lanes.store(z, gates + h + j, count: w)
            Lanes.store(n, gates + 2 * h + j, count: w)
            Lanes.store(hn, candidate + j, count: w)
            Lanes.store(n + z * (hp - n), next + j, count: w)
            j += 8
        }
    }
}
