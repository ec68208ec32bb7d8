import Foundation
import TidingsCore

extension Refresher {
    /// Refreshes `sources` concurrently, at most `sourcesAtOnce` at a time (default sized to
    /// their hosts), spread over hosts (`HostSpread`). The fetcher is shared, so every request
    /// keeps the per-host politeness of the daemon. `started` and `finished` are called on
    /// the calling task, in the order things happen. Reports come back in the order of `sources`.
    public func refresh(_ sources: [Source], sourcesAtOnce: Int? = nil,
                        started: (Source) -> Void = { _ in }, finished: (RefreshReport) -> Void = { _ in }) async -> [RefreshReport] {
        let limit = max(1, sourcesAtOnce ?? configuration.sourcesAtOnce
            ?? HostSpread.defaultSourcesAtOnce(for: sources, transfers: configuration.fetcher.globalConcurrency))
        var waiting = sources.enumerated().map { (position: $0.offset, source: $0.element, host: HostSpread.host(of: $0.element)) }
        var running: [String: Int] = [:]
        var reports = [RefreshReport?](repeating: nil, count: sources.count)
        await withTaskGroup(of: (Int, RefreshReport).self) { group in
            var inFlight = 0
            func launch() {
                let picked = HostSpread.pick(waiting, count: limit - inFlight, running: running, host: { $0.host })
                for index in picked {
                    let (position, source, host) = waiting[index]
                    running[host, default: 0] += 1
                    inFlight += 1
                    started(source)
                    group.addTask { (position, await self.refresh(source)) }
                }
                for index in picked.reversed() { waiting.remove(at: index) }
            }
            launch()
            for await (position, report) in group {
                inFlight -= 1
                running[HostSpread.host(of: sources[position]), default: 1] -= 1
                reports[position] = report
                finished(report)
                launch()
            }
        }
        return reports.compactMap { $0 }
    }
}
