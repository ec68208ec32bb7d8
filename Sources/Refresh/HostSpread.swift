import TidingsCore

/// Sources of one host wait for each other at the fetcher (per-host connections and gaps),
/// so refreshing two of them at once only takes a slot another host could use. This picks
/// the next sources to start: in the order given, but one per host with nothing running
/// first, then the rest.
public enum HostSpread {
    /// Up to `count` of `candidates`, which come in priority order; those `firm` says are
    /// taken in their turn whatever their host. Looks `lookahead` candidates past `count` for
    /// free hosts, then takes the rest in order, so each decision costs a bounded walk.
    public static func pick<Candidate>(_ candidates: [Candidate], count: Int, running: [String: Int],
                                       host: (Candidate) -> String, firm: (Candidate) -> Bool = { _ in false },
                                       lookahead: Int = defaultLookahead) -> [Int] {
        guard count > 0 else { return [] }
        var busy = running
        var chosen: [Int] = []
        var passedOver: [Int] = []
        var scanned = 0
        while scanned < candidates.count, chosen.count < count, passedOver.count < lookahead {
            let candidate = candidates[scanned]
            let key = host(candidate)
            if busy[key, default: 0] == 0 || firm(candidate) {
                busy[key, default: 0] += 1
                chosen.append(scanned)
            } else {
                passedOver.append(scanned)
            }
            scanned += 1
        }
        for index in passedOver where chosen.count < count { chosen.append(index) }
        while scanned < candidates.count && chosen.count < count {
            chosen.append(scanned)
            scanned += 1
        }
        return chosen.sorted()
    }

    /// Enough to find a free one among dozens of busy hosts.
    public static let defaultLookahead = 64

    /// The politeness key of a source, as the fetcher's per-host limits see it: the host of
    /// its URL, lower-cased, with the port when there is one (`file` for local sources).
    public static func host(of source: Source) -> String {
        guard let host = source.url.host?.lowercased() else { return source.url.scheme ?? "" }
        return source.url.port.map { "\(host):\($0)" } ?? host
    }

    /// Sources refreshed at once when `sources_at_once` is not set: one per host of the catalog
    /// (a host's sources share its politeness limits anyway), at least `minimum`, at most the
    /// transfers the fetcher runs at once (a source always needs one).
    public static func defaultSourcesAtOnce(for sources: [Source], transfers: Int) -> Int {
        let hosts = Set(sources.map(host(of:))).count
        return min(max(hosts, minimumSourcesAtOnce), max(minimumSourcesAtOnce, transfers))
    }

    /// Four: what the daemon always ran before the setting existed, fine for one or two sites.
    public static let minimumSourcesAtOnce = 4
}
