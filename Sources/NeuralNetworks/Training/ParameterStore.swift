import Foundation
import Randomness

/// A named matrix inside a `ParameterStore`: where its values start and its row-major shape.
package struct ParameterTensor: Sendable, Hashable, Codable {
    package let name: String
    package let offset: Int
    package let rows: Int
    package let columns: Int

    /// Number of values (rows × columns).
    package var count: Int { rows * columns }
    /// The index range of this tensor in the flat value and gradient arrays.
    package var range: Range<Int> { offset..<(offset + count) }
}

/// How a tensor's values are first drawn.
package enum Initialiser: Sendable, Hashable {
    case zeros
    case constant(Float)
    /// Uniform on [-bound, bound].
    case uniform(bound: Float)
    /// Normal with mean 0.
    case normal(standardDeviation: Float)
    /// Glorot/Xavier uniform: bound √(6 / (fanIn + fanOut)).
    case xavierUniform(fanIn: Int, fanOut: Int)
    /// Glorot/Xavier normal: standard deviation √(2 / (fanIn + fanOut)).
    case xavierNormal(fanIn: Int, fanOut: Int)
}

/// A layout mismatch when loading saved values.
package struct ParameterStoreError: Error, Sendable, CustomStringConvertible {
    package let description: String
}

/// Every parameter of a model in one flat `[Float]`, with gradients in another of the same length.
///
/// Layers keep `ParameterTensor` handles (offsets and shapes), so optimisers, clipping, checkpoints
/// and per-example gradient work treat the whole model as one vector.
package struct ParameterStore: Sendable, Codable {
    package var values: [Float] = []
    package var gradients: [Float] = []
    package private(set) var tensors: [ParameterTensor] = []

    package init() {}

    /// Number of scalar parameters.
    package var count: Int { values.count }

    /// Appends a rows×columns tensor, filling it from `random` in row-major order.
    package mutating func allocate(
        _ name: String, rows: Int, columns: Int, initialiser: Initialiser, random: inout RandomStream
    ) -> ParameterTensor {
        precondition(rows > 0 && columns > 0, "a tensor needs a positive shape")
        precondition(!tensors.contains { $0.name == name }, "duplicate tensor name \(name)")
        let tensor = ParameterTensor(name: name, offset: values.count, rows: rows, columns: columns)
        values.reserveCapacity(values.count + tensor.count)
        for _ in 0..<tensor.count { values.append(Self.draw(initialiser, &random)) }
        gradients.append(contentsOf: repeatElement(0, count: tensor.count))
        tensors.append(tensor)
        return tensor
    }

    /// The tensor called `name`, if any.
    package func tensor(named name: String) -> ParameterTensor? {
        tensors.first { $0.name == name }
    }

    /// Sets every gradient to zero.
    package mutating func zeroGradients() {
        gradients.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// Replaces the values with saved ones after checking that the tensor layout is the same.
    package mutating func load(_ saved: ParameterStore) throws {
        guard saved.tensors == tensors, saved.values.count == values.count else {
            throw ParameterStoreError(description: "saved parameters have a different layout: "
                + "\(saved.tensors.count) tensors / \(saved.values.count) values, expected "
                + "\(tensors.count) tensors / \(values.count) values")
        }
        values = saved.values
    }

    private static func draw(_ initialiser: Initialiser, _ random: inout RandomStream) -> Float {
        switch initialiser {
        case .zeros: return 0
        case .constant(let value): return value
        case .uniform(let bound): return Float((random.nextUnit() * 2 - 1) * Double(bound))
        case .normal(let sd): return Float(random.nextNormal() * Double(sd))
        case .xavierUniform(let fanIn, let fanOut):
            let bound = (6 / Double(fanIn + fanOut)).squareRoot()
            return Float((random.nextUnit() * 2 - 1) * bound)
        case .xavierNormal(let fanIn, let fanOut):
            return Float(random.nextNormal() * (2 / Double(fanIn + fanOut)).squareRoot())
        }
    }

    // Gradients are scratch state: a checkpoint carries the layout and values only.
    private enum CodingKeys: String, CodingKey { case values, tensors }

    package init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        values = try container.decode([Float].self, forKey: .values)
        tensors = try container.decode([ParameterTensor].self, forKey: .tensors)
        gradients = [Float](repeating: 0, count: values.count)
        guard tensors.reduce(0, { $0 + $1.count }) == values.count else {
            throw ParameterStoreError(description: "checkpoint tensors do not cover its \(values.count) values")
        }
    }

    package func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(values, forKey: .values)
        try container.encode(tensors, forKey: .tensors)
    }
}

extension UnsafeBufferPointer where Element == Float {
    /// The slice of a flat parameter buffer that holds `tensor`.
    func slice(_ tensor: ParameterTensor) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(rebasing: self[tensor.offset..<(tensor.offset + tensor.rows * tensor.columns)])
    }
}

extension UnsafeMutableBufferPointer where Element == Float {
    /// The slice of a flat gradient buffer that holds `tensor`.
    func slice(_ tensor: ParameterTensor) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(rebasing: self[tensor.offset..<(tensor.offset + tensor.rows * tensor.columns)])
    }
}
