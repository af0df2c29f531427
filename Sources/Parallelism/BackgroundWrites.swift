import Dispatch
import Foundation

/// Work (file writes) done in order on one background thread while the caller computes the next
/// part: an export writes batch k while its workers make batch k + 1. At most one submission
/// waits at a time (`submit` first waits for the one before), so memory stays bounded; the first
/// error is kept and thrown by `submit` or `finish`.
package final class BackgroundWrites: @unchecked Sendable {
    private let queue = DispatchQueue(label: "zebra.background-writes")
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var failure: (any Error)?

    package init() {}

    /// Waits for the previous submission, then runs `work` in the background.
    package func submit(_ work: @escaping @Sendable () throws -> Void) throws {
        try wait()
        group.enter()
        queue.async { [self] in
            defer { group.leave() }
            do { try work() } catch {
                lock.lock(); if failure == nil { failure = error }; lock.unlock()
            }
        }
    }

    /// Waits for everything submitted; throws the first error any of it threw.
    package func wait() throws {
        group.wait()
        lock.lock(); defer { lock.unlock() }
        if let failure { throw failure }
    }
}

/// A value handed to a background submission whose owner does not touch it meanwhile.
package struct Handed<Value>: @unchecked Sendable {
    package var value: Value
    package init(_ value: Value) { self.value = value }
}
