import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How many client connections the server may hold at once: always below the process's
/// descriptor limit, so that a flood of connections leaves refreshing (fetcher sockets, the
/// database, files being written, Dispatch's own timer and event descriptors) what it needs.
/// Running out of descriptors made libdispatch trap and every file read answer 404.
struct DescriptorBudget: Sendable, Equatable {
    /// The process's soft RLIMIT_NOFILE.
    var descriptorLimit: Int
    /// Descriptors kept for everything but client connections.
    var reserve: Int
    /// Connections served at once; more are answered 503 at once and closed.
    var servedConnections: Int
    /// Connections open at once, served or being answered 503; past it the server stops
    /// accepting and new connections wait in the kernel's listen queue.
    var acceptCeiling: Int

    /// Connections served when the settings name no limit: a feed server (usually behind a
    /// reverse proxy, polled by readers every few minutes) rarely holds more than a few dozen.
    static let defaultMaximumConnections = 4096
    /// Descriptors never given to connections. Measured on `tidings run` with 1,000 sources
    /// refreshing at the default concurrency of 16: at most 96 open descriptors (16 transfers,
    /// 32 cached connections, resolver threads, SQLite's database, WAL and shm files, the
    /// publisher's temporary file, NIO's and Dispatch's epoll, event and timer descriptors);
    /// 256 leaves room for a higher `concurrency` and worker processes' pipes.
    static let minimumReserve = 256
    /// Connections beyond `servedConnections` that may be being answered 503 at the same
    /// time: an eighth of what connections may use, at least 32. Each lasts until its client
    /// has read the answer; past the allowance new connections wait in the listen queue, and
    /// a queue that overflows makes the kernel drop or reset them.
    static func refusalAllowance(ceiling: Int) -> Int { max(32, ceiling / 8) }
    /// The soft limit is raised towards the hard limit up to this (systemd's default hard
    /// limit is 524,288; nothing here needs more than this many).
    static let raisedSoftLimit = 65_536

    /// Splits `descriptorLimit` between connections and the rest; `configuredMaximum` (the
    /// `max_connections` setting) can only lower the number of connections served.
    static func plan(descriptorLimit: Int, configuredMaximum: Int?) -> DescriptorBudget {
        let reserve = max(minimumReserve, descriptorLimit / 4)
        let ceiling = max(2, descriptorLimit - reserve)
        let allowance = refusalAllowance(ceiling: ceiling)
        let served = max(1, min(configuredMaximum ?? defaultMaximumConnections, ceiling - allowance))
        return DescriptorBudget(descriptorLimit: descriptorLimit, reserve: reserve, servedConnections: served,
                                acceptCeiling: max(served + 1, min(ceiling, served + allowance)))
    }

    /// The budget for this process's current limit.
    static func current(configuredMaximum: Int?) -> DescriptorBudget {
        plan(descriptorLimit: softLimit(), configuredMaximum: configuredMaximum)
    }

    static func softLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return Int(clamping: min(limit.rlim_cur, rlim_t(Int32.max)))  // RLIM_INFINITY is the largest value
    }

    /// Raises the soft descriptor limit to the hard one (at most `raisedSoftLimit`), as systemd
    /// advises for services that use poll/epoll, never select; returns the soft limit in force.
    @discardableResult
    static func raiseSoftLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return softLimit() }
        let wanted = min(limit.rlim_max, rlim_t(raisedSoftLimit))
        if limit.rlim_cur < wanted {
            limit.rlim_cur = wanted
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return softLimit()
    }
}
