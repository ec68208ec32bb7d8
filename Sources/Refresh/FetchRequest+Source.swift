import Fetching
import Foundation
import TidingsCore

extension FetchRequest {
    /// A request for one of `source`'s pages, with the source's `[fetch]` settings. `file:`
    /// is allowed only for a source whose configured URL is itself a file URL.
    init(source: Source, url: URL) {
        self.init(url: url, headers: source.fetch.headers, allowFileScheme: source.url.isFileURL,
                  cookies: source.fetch.cookies, referer: source.fetch.referer,
                  obeysRobots: source.fetch.obeysRobots, hostGap: source.fetch.hostGap)
    }
}
