/// The feed formats written for every source and for the combined feed.
enum FeedFormat: CaseIterable {
    case atom, json, rss

    var fileExtension: String {
        switch self {
        case .atom: "atom"
        case .json: "json"
        case .rss: "rss"
        }
    }

    /// The type used in autodiscovery `<link>` elements and `rel="self"` links.
    var mediaType: String {
        switch self {
        case .atom: "application/atom+xml"
        case .json: "application/feed+json"
        case .rss: "application/rss+xml"
        }
    }

    /// How the index page names the format.
    var label: String {
        switch self {
        case .atom: "Atom"
        case .json: "JSON Feed"
        case .rss: "RSS"
        }
    }
}
