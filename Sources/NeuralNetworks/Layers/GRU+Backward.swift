import DenseKernels

extension GRU {
    /// Backpropagation through time for a `forward` pass.
    ///
    /// Adds the weight and bias gradients to `gradients` and returns the gradients with respect to
    /// the inputs (if `computeInputGradients`) and the initial state. Only the recurrent product
    /// dh·W_hhᵀ runs per step; the gate gradients of all steps are kept so that dW_hh, dW_ih, the
    /// bias gradients and dX are each one GEMM or column sum over all steps.
    /// - Parameters:
    ///   - outputGradients: steps×batch×H gradient of the loss with respect to `trace.outputs`
    ///     (nil when only the final state is used); ignored at masked steps.
    ///   - finalStateGradient: batch×H gradient with respect to `trace.finalState` (nil for none).
    package func backward(
        _ trace: inout GRUTrace, outputGradients: [Float]?, finalStateGradient: [Float]?,
        parameters: [Float], gradients: inout [Float], computeInputGradients: Bool = true, threads: Int = 1
    ) -> GRUInputGradients {
        let (steps, batch, h, g) = (trace.steps, trace.batch, hiddenSize, 3 * hiddenSize)
        precondition(trace.hiddenSize == h && trace.inputs.count == steps * batch * inputSize,
                     "GRU.backward: the trace comes from a GRU of another shape")
        precondition(outputGradients.map { $0.count == steps * batch * h } ?? true,
                     "GRU.backward: output gradients are not steps × batch × \(h)")
        precondition(finalStateGradient.map { $0.count == batch * h } ?? true,
                     "GRU.backward: final-state gradient is not batch × \(h)")
        trace.initialStateGradient.resetToZeros(count: batch * h)
        if let finalStateGradient {
            trace.initialStateGradient.withUnsafeMutableBufferPointer {
                _ = $0.update(fromContentsOf: finalStateGradient)
            }
        }
        trace.dInputGates.resetToZeros(count: steps * batch * g)
        trace.dRecurrentGates.resetToZeros(count: steps * batch * g)
        trace.hiddenTransposed.resetToZeros(count: h * g)
        withBuffers(parameters) { p in
            trace.hiddenTransposed.withUnsafeMutableBufferPointer {
                MatrixOps.transpose(p.slice(weightHidden), rows: h, columns: g, into: $0)
            }
        }
        let lengths = trace.lengths
        let active = Self.activeRows(lengths: lengths, steps: steps)
        withMutableBuffers(&trace.initialStateGradient, &trace.dInputGates,
                           &trace.dRecurrentGates) { dh, dInputGates, dRecurrentGates in
            withBuffers(trace.gates, trace.hiddenCandidates, trace.states) { gates, candidates, states in
                withBuffers(outputGradients ?? [], trace.hiddenTransposed) { dOutputs, hiddenTransposed in
                    for t in stride(from: steps - 1, through: 0, by: -1) {
                        for b in 0..<batch where t < lengths[b] {
                            let row = t * batch + b
                            if outputGradients != nil {
                                VectorOps.add(dOutputs.rows(row..<(row + 1), columns: h),
                                              to: dh.rows(b..<(b + 1), columns: h))
                            }
                            Self.cellBackward(
                                hidden: h, gates: gates.baseAddress! + row * g,
                                candidate: candidates.baseAddress! + row * h, previous: states.baseAddress! + row * h,
                                dh: dh.baseAddress! + b * h, dInputGates: dInputGates.baseAddress! + row * g,
                                dRecurrentGates: dRecurrentGates.baseAddress! + row * g)
                        }
                        // Masked rows have zero gate gradients, so their dh passes through unchanged.
                        let rows = active[t]
                        Gemm.ab(
                            dRecurrentGates.rows((t * batch)..<(t * batch + rows), columns: g).readOnly,
                            hiddenTransposed, dh.rows(0..<rows, columns: h), m: rows, n: h, k: g, accumulate: true,
                            threads: threads)
                    }
                }
            }
        }
        accumulateWeightGradients(
            &trace, parameters: parameters, gradients: &gradients, computeInputGradients: computeInputGradients,
            threads: threads)
        return GRUInputGradients(inputs: trace.inputGradients, initialState: trace.initialStateGradient)
    }

    /// dW_hh = Hᵀ·dGh, dW_ih = Xᵀ·dGi, bias sums and dX = dGi·W_ihᵀ over all steps at once.
    private func accumulateWeightGradients(
        _ trace: inout GRUTrace, parameters: [Float], gradients: inout [Float], computeInputGradients: Bool,
        threads: Int
    ) {
        let rows = trace.steps * trace.batch, h = hiddenSize, g = 3 * hiddenSize
        trace.inputGradients.resetToZeros(count: computeInputGradients ? rows * inputSize : 0)
        withBuffers(trace.dInputGates, trace.dRecurrentGates, trace.states) { dInputGates, dRecurrentGates, states in
            withBuffers(trace.inputs, parameters) { inputs, p in
                withMutableBuffers(&gradients, &trace.inputGradients) { gradients, dInputs in
                    let active = Self.activeRows(lengths: trace.lengths, steps: trace.steps)
                    if active.reduce(0, +) == rows {
                        Gemm.atb(
                            states.rows(0..<rows, columns: h), dRecurrentGates, gradients.slice(weightHidden),
                            m: h, n: g, k: rows, accumulate: true, threads: threads)
                        Gemm.atb(
                            inputs, dInputGates, gradients.slice(weightInput),
                            m: inputSize, n: g, k: rows, accumulate: true, threads: threads)
                    } else {
                        // Sorted lengths: rows of finished sequences have zero gradients; skip them.
                        let batch = trace.batch
                        for t in 0..<trace.steps where active[t] > 0 {
                            let range = (t * batch)..<(t * batch + active[t])
                            Gemm.atb(
                                states.rows(range, columns: h), dRecurrentGates.rows(range, columns: g),
                                gradients.slice(weightHidden), m: h, n: g, k: active[t], accumulate: true,
                                threads: threads)
                            Gemm.atb(
                                inputs.rows(range, columns: inputSize), dInputGates.rows(range, columns: g),
                                gradients.slice(weightInput), m: inputSize, n: g, k: active[t], accumulate: true,
                                threads: threads)
                        }
                    }
                    MatrixOps.columnSums(dRecurrentGates, rows: rows, columns: g, into: gradients.slice(biasHidden),
                                         accumulate: true)
                    MatrixOps.columnSums(dInputGates, rows: rows, columns: g, into: gradients.slice(biasInput),
                                         accumulate: true)
                    if computeInputGradients {
                        Gemm.abt(dInputGates, p.slice(weightInput), dInputs, m: rows, n: inputSize, k: g,
                                 threads: threads)
                    }
                }
            }
        }
    }

    /// Gate gradients of one sequence at one step; replaces `dh` by its direct path dh ⊙ z (the
    /// recurrent product is added afterwards for the whole batch).
    @inline(__always)
    static func cellBackward(
        hidden h: Int, gates: UnsafePointer<Float>, candidate: UnsafePointer<Float>, previous: UnsafePointer<Float>,
        dh: UnsafeMutablePointer<Float>, dInputGates: UnsafeMutablePointer<Float>,
        dRecurrentGates: UnsafeMutablePointer<Float>
    ) {
        var j = 0
        while j < h {
            let w = min(8, h - j)
            let r = Lanes.load(gates + j, count: w)
            let z = Lanes.load(gates + h + j, count: w)
            let n = Lanes.load(gates + 2 * h + j, count: w)
            let hn = Lanes.load(candidate + j, count: w)
            let hp = Lanes.load(previous + j, count: w)
            let d = Lanes.load(dh + j, count: w)
            let dnPre = d * (1 - z) * (1 - n * n)
            let dzPre = d * (hp - n) * z * (1 - z)
            let drPre = dnPre * hn * r * (1 - r)
            Lanes.store(drPre, dInputGates + j, count: w)
            Lanes.store(dzPre, dInputGates + h + j, count: w)
            Lanes.store(dnPre, dInputGates + 2 * h + j, count: w)
            Lanes.store(drPre, dRecurrentGates + j, count: w)
            Lanes.store(dzPre, dRecurrentGates + h + j, count: w)
            Lanes.store(dnPre * r, dRecurrentGates + 2 * h + j, count: w)
            Lanes.store(d * z, dh + j, count: w)
            j += 8
        }
    }
}
