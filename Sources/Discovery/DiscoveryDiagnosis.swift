import Foundation
import Extraction
import TidingsCore

/// The one wording of "this page gave no article links": what was tried and what to do next.
/// Used by `tidings discover` and by Refresh, so the user reads the same advice everywhere.
public enum DiscoveryDiagnosis {
    /// A body with less visible text than this (script, style and noscript left out) is an
    /// empty shell; article lists in the labelled sets carry several thousand characters.
    static let emptyBodyCharacters = 200
    /// Script text this many times the visible text marks a page built in the browser
    /// (the script-built pages left out of bench/discovery run at 5–50×; server-built
    /// listings stay below 2×).
    static let scriptToTextRatio = 3.0

    /// What the page itself suggests: built by script (so `render = true`), or not.
    public struct PageSigns: Sendable, Hashable {
        public var visibleCharacters: Int
        public var scriptCharacters: Int
        public var hasNoscriptNotice: Bool

        public init(visibleCharacters: Int, scriptCharacters: Int, hasNoscriptNotice: Bool) {
            self.visibleCharacters = visibleCharacters
            self.scriptCharacters = scriptCharacters
            self.hasNoscriptNotice = hasNoscriptNotice
        }

        public var looksScriptBuilt: Bool {
            visibleCharacters < DiscoveryDiagnosis.emptyBodyCharacters
                || Double(scriptCharacters) >= DiscoveryDiagnosis.scriptToTextRatio * Double(max(visibleCharacters, 1))
                || (hasNoscriptNotice && visibleCharacters < 10 * DiscoveryDiagnosis.emptyBodyCharacters)
        }
    }

    /// What the diagnosis reads of the listing itself, as plain values: a refresh has it
    /// computed where its pages are parsed (a worker process) and words the sentence at home.
    public struct ListingEvidence: Sendable, Hashable {
        /// nil when the page is not HTML (a feed, a sitemap) or libxml2 could not read it.
        public var signs: PageSigns?
        /// The link groups scored on the page (`LinkDiscoverer.explain`'s groups).
        public var groups: [LinkGroupExplanation]

        public init(signs: PageSigns?, groups: [LinkGroupExplanation]) {
            self.signs = signs
            self.groups = groups
        }
    }

    /// The page's signs and link groups from one parse.
    public static func evidence(on page: Page, configuration: DiscoveryConfiguration) -> ListingEvidence {
        guard !FeedParser.looksLikeFeed(page), let document = HTMLDocument(html: page.text, url: page.url) else {
            return ListingEvidence(signs: nil, groups: [])
        }
        let (groups, _) = PageLinkAnalysis(document: document, pageURL: page.url, configuration: configuration).explanation()
        return ListingEvidence(signs: signs(of: document), groups: groups)
    }

    /// Reads the signs of a script-built page in one walk.
    public static func signs(of document: HTMLDocument) -> PageSigns {
        var signs = PageSigns(visibleCharacters: 0, scriptCharacters: 0, hasNoscriptNotice: false)
        document.root?.walk { node in
            if node.isElement {
                switch node.name {
                case "script": signs.scriptCharacters += node.text.utf8.count; return false
                case "style", "template", "head": return false
                case "noscript":
                    if !HeadlineText.normalize(node.text).isEmpty { signs.hasNoscriptNotice = true }
                    return false
                default: return true
                }
            }
            if node.isText { signs.visibleCharacters += HeadlineText.normalize(node.text).count }
            return true
        }
        return signs
    }

    /// "no article links on URL: tried …; …": the sentence for a page that yielded nothing.
    /// - `groups`: the link groups scored on the page (from `LinkDiscoverer.explain`), if any.
    /// - `feed`: the advertised feed that was read, nil when the page advertised none.
    /// - `sitemaps`: the sitemaps that were read.
    /// - `robots`: what robots.txt gave when it was asked for sitemaps and named none (or failed).
    /// - `selector`: the source's `[discover] links`, if set.
    public static func noArticleLinks(pageURL: URL, signs: PageSigns?, groups: [LinkGroupExplanation],
                                      feed: URL?, sitemaps: [URL], robots: String? = nil, selector: String?) -> String {
        var tried: [String] = []
        if let selector { tried.append("the selector [discover] links = \"\(selector)\" (no match)") }
        if groups.isEmpty {
            tried.append("the page's links (none lead to a page of this site)")
        } else {
            var part = "\(groups.count) link group\(groups.count == 1 ? "" : "s") on the page (none scored as an article list"
            if let best = groups.max(by: { $0.score < $1.score }) {
                part += String(format: "; best %.2f: %@", best.score, best.path)
            }
            tried.append(part + ")")
        }
        tried.append(feed.map { "the advertised feed \($0.absoluteString) (no items)" } ?? "a feed (the page advertises none)")
        tried.append(sitemaps.isEmpty ? robots ?? "a sitemap (none listed in robots.txt)"
                                      : "the sitemap\(sitemaps.count == 1 ? "" : "s") \(sitemaps.map(\.absoluteString).joined(separator: ", ")) (no article URLs)")
        var message = "no article links on \(pageURL.absoluteString): tried " + tried.joined(separator: ", ") + ". "
        if let signs, signs.looksScriptBuilt {
            message += "The page looks built by script (\(signs.visibleCharacters) characters of text, \(signs.scriptCharacters) of script"
            message += signs.hasNoscriptNotice ? ", a <noscript> notice)" : ")"
            message += ": set render = true for this source, or [discover] links to a selector of its links."
        } else {
            message += "Set [discover] links to a CSS selector of the list's links (see `tidings discover \(pageURL.absoluteString) --explain`), or [discover] sitemap."
        }
        return message
    }
}
