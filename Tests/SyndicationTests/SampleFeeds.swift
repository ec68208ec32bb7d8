import Foundation
import TidingsCore
@testable import Syndication

/// Real-shaped sources and entries, built directly (no fetching).
enum SampleFeeds {
    static func time(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    static let portal = Source(id: "hunan-portal", title: "湖南新闻 · 国内", url: URL(string: "https://news.example.cn/guonei/")!,
                               language: "zh-CN", timeZone: "Asia/Shanghai", keep: 50)
    static let english = Source(id: "harbor-gazette", title: "Harbor Gazette", url: URL(string: "https://gazette.example.com/local/")!,
                                language: "en", keep: 50)

    static func entry(_ source: Source, path: String, title: String, published: String?, firstSeen: String = "2023-06-17T03:00:00Z",
                      updated: String? = nil, author: String? = nil, outlet: String? = nil, image: String? = nil,
                      html: String = "<p>Body.</p>", text: String = "Body.", summary: String = "") -> FeedEntry {
        let url = URL(string: path, relativeTo: source.url)!.absoluteURL
        let seen = time(firstSeen)
        let article = Article(url: url, title: title, author: author, published: published.map(time), outlet: outlet,
                              language: source.language, leadImage: image.map { URL(string: $0)! },
                              html: html, text: text, summary: summary)
        return FeedEntry(id: EntryIdentity.tagURI(canonicalURL: url, firstSeen: seen.date), sourceID: source.id,
                         article: article, firstSeen: seen, updated: updated.map(time) ?? seen)
    }

    static var portalChannel: FeedChannel {
        FeedChannel(source: portal, entries: [
            entry(portal, path: "2023-06/17/c_1129.htm", title: "长沙地铁6号线东延段开通运营", published: "2023-06-17T02:27:18+08:00",
                  author: "李明", outlet: "新华社", image: "https://img.example.cn/2023/0617/metro.png",
                  html: "<p>记者从长沙地铁获悉，6号线东延段今日开通。</p><p>全长约12公里。</p>",
                  text: "记者从长沙地铁获悉，6号线东延段今日开通。\n\n全长约12公里。", summary: "6号线东延段今日开通。"),
            entry(portal, path: "2023-06/16/c_1120.htm", title: "湘江新区发布人才政策", published: "2023-06-16T18:05:00+08:00",
                  outlet: "湖南新闻"),
        ], health: SourceHealth(lastAttempt: time("2023-06-17T03:00:00Z"), lastSuccess: time("2023-06-17T03:00:00Z"),
                                articlesFoundLastRun: 2))
    }

    static var englishChannel: FeedChannel {
        FeedChannel(source: english, entries: [
            entry(english, path: "2023/06/ferry-schedule", title: "Ferry schedule changes for summer & beyond", published: "2023-06-16T09:30:00-04:00",
                  author: "Dana Whitfield", image: "https://cdn.example.com/ferry.jpg",
                  html: "<p>The ferry runs every <b>30 minutes</b>.</p>", text: "The ferry runs every 30 minutes."),
        ], health: SourceHealth(lastAttempt: time("2023-06-17T03:05:00Z"), lastSuccess: time("2023-06-16T03:05:00Z"),
                                lastError: "https://gazette.example.com/local/: HTTP 503 Service Unavailable", consecutiveFailures: 1))
    }

    /// A fresh, empty folder under the temporary directory, removed when the process ends
    /// (set TIDINGS_KEEP_TEST_OUTPUT=1 to keep it for a look).
    static func temporaryFolder(_ name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("tidings-syndication-\(safe)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        TemporaryFolders.shared.register(folder)
        return folder
    }

    static func publisher(_ folder: URL, baseURL: String? = "https://feeds.example.org/tidings/") -> Publisher {
        Publisher(configuration: PublisherConfiguration(outputDirectory: folder, baseURL: baseURL.map { URL(string: $0)! }))
    }
}

/// Removes the tests' output folders at exit, unless asked to keep them.
final class TemporaryFolders: @unchecked Sendable {
    // @unchecked Sendable: `folders` is only touched under `lock`.
    static let shared = TemporaryFolders()
    private let lock = NSLock()
    private var folders: [URL] = []

    private init() {
        atexit {
            guard ProcessInfo.processInfo.environment["TIDINGS_KEEP_TEST_OUTPUT"] == nil else { return }
            for folder in TemporaryFolders.shared.lock.withLock({ TemporaryFolders.shared.folders }) {
                try? FileManager.default.removeItem(at: folder)
            }
        }
    }

    func register(_ folder: URL) { lock.withLock { folders.append(folder) } }
}
