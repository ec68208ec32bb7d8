import Foundation
import TestSupport

/// Runs the checkers readers are judged by: `shared/validate/check-feed` (RELAX NG of
/// RFC 4287 + feedparser), python3 feedparser for RSS, and newsboat. One subprocess per
/// batch of files, so thousands of entries cost a handful of processes.
enum ExternalCheck {
    /// The repository root: this file is Tests/SyndicationTests/ExternalCheck.swift.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/validate/check-feed`, beside the repository.
    static let checkFeed = repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/validate/check-feed")

    typealias Outcome = ExternalProcess.Outcome

    /// Runs a program (found on PATH when not absolute) and collects stdout and stderr together.
    static func run(_ program: String, _ arguments: [String], directory: URL? = nil,
                    environment: [String: String]? = nil, input: String? = nil) throws -> Outcome {
        try ExternalProcess.run(program, arguments, directory: directory, environment: environment, input: input)
    }

    /// check-feed on every file: the output when any fails, nil when all pass.
    static func atomProblems(_ files: [URL]) throws -> String? {
        let outcome = try run(checkFeed.path, files.map(\.path))
        return outcome.succeeded ? nil : outcome.output
    }

    /// What feedparser makes of a feed, as JSON (feed fields and entries), so tests can
    /// assert on what a reader sees. `bozo` is reported, never hidden.
    static let feedparserDump = """
    import sys, json, feedparser
    out = []
    for path in sys.argv[1:]:
        d = feedparser.parse(path)
        def links(x): return [{"rel": l.get("rel"), "type": l.get("type"), "href": l.get("href")} for l in x.get("links", [])]
        out.append({
            "path": path, "bozo": bool(d.bozo), "bozo_exception": str(d.get("bozo_exception", "")),
            "version": d.version,
            "feed": {"title": d.feed.get("title"), "id": d.feed.get("id"), "updated": d.feed.get("updated"),
                     "links": links(d.feed), "language": d.feed.get("language"),
                     "author": d.feed.get("author"), "subtitle": d.feed.get("subtitle"),
                     "generator": d.feed.get("generator")},
            "entries": [{"id": e.get("id"), "title": e.get("title"), "published": e.get("published"),
                         "updated": e.get("updated"), "author": e.get("author"), "links": links(e),
                         "tags": [{"term": t.get("term"), "scheme": t.get("scheme")} for t in e.get("tags", [])],
                         "content": [c.get("value") for c in e.get("content", [])],
                         "summary": e.get("summary")} for e in d.entries],
        })
    json.dump(out, sys.stdout, ensure_ascii=False)
    """

    struct ParsedFeed: Decodable {
        struct Link: Decodable { var rel: String?; var type: String?; var href: String? }
        struct Tag: Decodable { var term: String?; var scheme: String? }
        struct Feed: Decodable {
            var title: String?; var id: String?; var updated: String?; var links: [Link]
            var language: String?; var author: String?; var subtitle: String?; var generator: String?
        }
        struct Entry: Decodable {
            var id: String?; var title: String?; var published: String?; var updated: String?
            var author: String?; var links: [Link]; var tags: [Tag]; var content: [String]; var summary: String?
        }
        var path: String
        var bozo: Bool
        var bozo_exception: String
        var version: String
        var feed: Feed
        var entries: [Entry]
    }

    /// Parses every file with feedparser in one python3 process.
    static func feedparser(_ files: [URL]) throws -> [ParsedFeed] {
        let outcome = try run("python3", ["-c", feedparserDump] + files.map(\.path))
        guard outcome.succeeded else { throw CheckFailure(message: "feedparser run failed: \(outcome.output)") }
        return try JSONDecoder().decode([ParsedFeed].self, from: Data(outcome.output.utf8))
    }

    struct CheckFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
