import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Memory of a process tree, read from /proc: the proportional set size (each shared page
/// counted once over the processes that share it; Chromium's processes share a 300 MB binary,
/// so summing their resident sizes would count it once per process).
enum BrowserMemory {
    static func residentBytes(ofTreeAt root: pid_t) -> Int {
        var children: [pid_t: [pid_t]] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry), let parent = parentPID(of: pid) else { continue }
            children[parent, default: []].append(pid)
        }
        var total = 0
        var queue = [root]
        var seen: Set<pid_t> = []
        while let pid = queue.popLast() {
            guard seen.insert(pid).inserted else { continue }
            total += residentBytes(of: pid)
            queue.append(contentsOf: children[pid] ?? [])
        }
        return total
    }

    /// The fourth field of /proc/PID/stat, after the parenthesised command (which may hold spaces).
    static func parentPID(of pid: pid_t) -> pid_t? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) : nil
    }

    /// `Pss:` of /proc/PID/smaps_rollup, else the resident size of /proc/PID/statm.
    static func residentBytes(of pid: pid_t) -> Int {
        if let rollup = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8),
           let line = rollup.split(separator: "\n").first(where: { $0.hasPrefix("Pss:") }),
           let kibibytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            return kibibytes * 1024
        }
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
