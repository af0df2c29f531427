import Foundation

/// This process's peak resident set size in MiB (`VmHWM` in /proc/self/status); nil without /proc.
package func peakResidentMegabytes() -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    return peakResidentMegabytes(procStatus: status)
}

/// The `VmHWM` figure of a /proc/<pid>/status text in MiB (it is given in kB), or nil.
package func peakResidentMegabytes(procStatus status: String) -> Double? {
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if parts.count >= 2, let kb = Double(parts[1]) { return kb / 1024 }
    }
    return nil
}
