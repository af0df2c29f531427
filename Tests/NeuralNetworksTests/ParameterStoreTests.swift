import Foundation
import Randomness
import Testing

@testable import NeuralNetworks

@Suite struct ParameterStoreTests {
    @Test func initialisationIsDeterministicAndWithinBounds() {
        func build() -> ParameterStore {
            var random = RandomStream(seed: 51)
            var store = ParameterStore()
            _ = store.allocate("w", rows: 30, columns: 40, initialiser: .xavierUniform(fanIn: 30, fanOut: 40),
                               random: &random)
            _ = store.allocate("v", rows: 20, columns: 50, initialiser: .xavierNormal(fanIn: 20, fanOut: 50),
                               random: &random)
            _ = store.allocate("b", rows: 1, columns: 5, initialiser: .constant(0.5), random: &random)
            return store
        }
        let store = build()
        #expect(store.values == build().values)
        let w = store.tensor(named: "w")!, v = store.tensor(named: "v")!
        let bound = Float((6.0 / 70).squareRoot())
        #expect(w.range.count == 30 * 40 && v.range.count == 20 * 50)
        #expect(store.values[w.range].allSatisfy { abs($0) <= bound })
        let variance = store.values[v.range].reduce(0.0) { $0 + Double($1 * $1) } / Double(v.count)
        #expect(abs(variance - 2.0 / 70) < 0.2 * 2.0 / 70)
        let b = store.tensor(named: "b")!
        #expect(b.range.count == 5)
        #expect(store.values[b.range].allSatisfy { $0 == 0.5 })
        #expect(store.gradients.count == store.count && store.count == 1200 + 1000 + 5)
    }

    @Test func checkpointRoundTripAndLayoutCheck() throws {
        var random = RandomStream(seed: 52)
        var store = ParameterStore()
        let gru = GRU(inputSize: 3, hiddenSize: 4, name: "enc", store: &store, random: &random)
        store.gradients[0] = 1
        let data = try JSONEncoder().encode(store)
        let decoded = try JSONDecoder().decode(ParameterStore.self, from: data)
        #expect(decoded.values == store.values && decoded.tensors == store.tensors)
        #expect(decoded.gradients.count == store.count)
        #expect(decoded.gradients.allSatisfy { $0 == 0 })
        var fresh = ParameterStore()
        var other = RandomStream(seed: 53)
        _ = GRU(inputSize: 3, hiddenSize: 4, name: "enc", store: &fresh, random: &other)
        try fresh.load(decoded)
        #expect(fresh.values == store.values)
        var wrong = ParameterStore()
        _ = GRU(inputSize: 3, hiddenSize: 5, name: "enc", store: &wrong, random: &other)
        #expect(throws: ParameterStoreError.self) { try wrong.load(decoded) }
        #expect(gru.weightHidden.rows == 4 && gru.weightHidden.columns == 12)
    }
}
