import Foundation
import TidingsCore

/// Nothing published is taken back: before a source's feeds are replaced, the entry ids of
/// its Atom file (the record of what readers have seen) are compared with the new entries.
/// A feed that is not full (fewer than `keep` entries) has no reason to drop one; if it
/// would, the state behind it is not the state that wrote it (a deleted or replaced state
/// folder), and the old feed stays.
extension Publisher {
    func lossRefusal(of source: Source, entries: [RenderedEntry]) -> PublishError? {
        guard entries.count < source.keep else { return nil }
        let name = FeedLinks.fileName(source.id, .atom)
        guard let old = try? Data(contentsOf: configuration.outputDirectory.appendingPathComponent(name)) else { return nil }
        let kept = Set(entries.map(\.id))
        let missing = FeedLossCheck.entryIDs(inAtom: old).filter { !kept.contains($0) }
        guard !missing.isEmpty else { return nil }
        return PublishError(kind: .wouldLoseEntries, file: configuration.outputDirectory.appendingPathComponent(name).path,
                            message: "the new feed would drop \(missing.count) of the entries it has (and hold \(entries.count) of keep = \(source.keep)); "
                                + "the state database no longer knows them (was the state folder deleted or replaced?)")
    }
}

enum FeedLossCheck {
    /// The `<id>` of every `<entry>` in an Atom feed written by `AtomWriter` (entries at depth
    /// one, the id as their first child), XML escapes undone.
    static func entryIDs(inAtom data: Data) -> [String] {
        let text = String(decoding: data, as: UTF8.self)
        var ids: [String] = []
        var rest = text[...]
        while let entry = rest.range(of: "\n  <entry") {
            rest = rest[entry.upperBound...]
            guard let open = rest.range(of: "<id>"), let close = rest.range(of: "</id>", range: open.upperBound..<rest.endIndex) else { break }
            ids.append(unescaped(String(rest[open.upperBound..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return ids
    }

    static func unescaped(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
