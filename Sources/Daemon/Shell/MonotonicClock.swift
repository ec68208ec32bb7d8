import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Seconds on CLOCK_MONOTONIC: the scheduler's time, immune to wall-clock jumps (NTP, DST).
public enum MonotonicClock {
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1_000_000_000
    }

    /// The wall-clock date of a monotonic instant, for status pages.
    public static func date(of instant: Double) -> Date {
        Date().addingTimeInterval(instant - now())
    }
}
