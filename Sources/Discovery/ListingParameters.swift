import Foundation

/// Query parameters a listing attaches to every link it carries with one value
/// (`?from=timeline`, `?via=home`): they say where the click came from, not which article,
/// so identity ignores them. A parameter whose value differs between links, or that only
/// one link carries, may be an id (`?ref=123`) and is kept.
enum ListingParameters {
    /// Names (lower-cased) that appear on at least two links with different paths, with one value.
    static func constant(in urls: [URL]) -> Set<String> {
        var values: [String: Set<String>] = [:]
        var paths: [String: Set<String>] = [:]
        for url in urls {
            guard let items = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedQueryItems else { continue }
            let path = (url.host ?? "") + url.path
            for item in items {
                let name = item.name.lowercased()
                values[name, default: []].insert(item.value ?? "")
                paths[name, default: []].insert(path)
            }
        }
        return Set(values.compactMap { name, seen in seen.count == 1 && (paths[name]?.count ?? 0) >= 2 ? name : nil })
    }

    /// The links with `ignoredParameters` set from the whole list.
    static func marked(_ links: [DiscoveredLink]) -> [DiscoveredLink] {
        let constant = constant(in: links.map(\.url))
        guard !constant.isEmpty else { return links }
        return links.map { link in
            var link = link
            link.ignoredParameters = constant
            return link
        }
    }
}
