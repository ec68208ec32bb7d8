import Foundation
import TidingsCore

/// The JSON Feed 1.1 rules (https://jsonfeed.org/version/1.1): required members and the
/// type of every member the spec defines. Returns the problems found, empty when valid.
enum JSONFeedCheck {
    static func problems(_ data: Data) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: data), let feed = object as? [String: Any] else {
            return ["not a JSON object"]
        }
        var problems: [String] = []
        func require(_ condition: Bool, _ message: @autoclosure () -> String) {
            if !condition { problems.append(message()) }
        }
        require(feed["version"] as? String == "https://jsonfeed.org/version/1.1", "version must be the 1.1 URL")
        require(feed["title"] is String, "title is required and must be a string")
        for key in ["home_page_url", "feed_url", "description", "user_comment", "next_url", "icon", "favicon", "language"] {
            require(feed[key] == nil || feed[key] is String, "\(key) must be a string")
        }
        for key in ["home_page_url", "feed_url", "icon", "favicon"] {
            if let url = feed[key] as? String { require(isAbsolute(url), "\(key) must be an absolute URL: \(url)") }
        }
        problems += authorProblems(feed["authors"], at: "feed")
        guard let items = feed["items"] as? [Any] else { return problems + ["items is required and must be an array"] }
        var ids = Set<String>()
        for (index, element) in items.enumerated() {
            let at = "items[\(index)]"
            guard let item = element as? [String: Any] else { problems.append("\(at) must be an object"); continue }
            guard let id = item["id"] as? String else { problems.append("\(at).id is required and must be a string"); continue }
            require(ids.insert(id).inserted, "\(at).id \(id) repeats")
            require(item["content_html"] is String || item["content_text"] is String, "\(at) needs content_html or content_text")
            for key in ["url", "external_url", "title", "content_html", "content_text", "summary", "image", "banner_image", "language"] {
                require(item[key] == nil || item[key] is String, "\(at).\(key) must be a string")
            }
            for key in ["url", "external_url", "image", "banner_image"] {
                if let url = item[key] as? String { require(isAbsolute(url), "\(at).\(key) must be an absolute URL: \(url)") }
            }
            for key in ["date_published", "date_modified"] {
                if let value = item[key] { require((value as? String).flatMap(Timestamp.init(rfc3339:)) != nil, "\(at).\(key) must be RFC 3339") }
            }
            if let tags = item["tags"] { require((tags as? [Any])?.allSatisfy { $0 is String } == true, "\(at).tags must be strings") }
            problems += authorProblems(item["authors"], at: at)
        }
        return problems
    }

    private static func authorProblems(_ value: Any?, at: String) -> [String] {
        guard let value else { return [] }
        guard let authors = value as? [Any] else { return ["\(at).authors must be an array"] }
        var problems: [String] = []
        for case let author as [String: Any] in authors {
            for key in ["name", "url", "avatar"] where author[key] != nil && !(author[key] is String) {
                problems.append("\(at).authors.\(key) must be a string")
            }
            if author["name"] == nil && author["url"] == nil && author["avatar"] == nil {
                problems.append("\(at).authors needs name, url or avatar")
            }
        }
        if authors.contains(where: { !($0 is [String: Any]) }) { problems.append("\(at).authors must hold objects") }
        return problems
    }

    private static func isAbsolute(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme else { return false }
        return !scheme.isEmpty
    }
}
