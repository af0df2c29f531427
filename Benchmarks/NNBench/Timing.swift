import Foundation

/// Wall-clock helpers for the benchmark.
enum Timing {
    /// Fastest seconds per call over seven batches of calls, each lasting about 0.1 s. The
    /// minimum, not the median: other jobs share this 2-core machine, and a batch they interrupt
    /// measures them, not the kernel.
    static func secondsPerCall(_ body: () -> Void) -> Double {
        body()
        var calls = 1
        while true {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<calls { body() }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            if elapsed > 0.1 { break }
            calls *= 2
        }
        var samples: [Double] = []
        for _ in 0..<7 {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<calls { body() }
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 / Double(calls))
        }
        return samples.min()!
    }
}

/// Left-justifies text in a column.
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

extension String {
    /// A number with one decimal.
    init(format1 value: Double) {
        self = String(format: "%.1f", value)
    }
}
