import Extraction
import Foundation
import TestSupport

/// The sanitizer as a property: whatever the bytes, what it writes holds nothing a browser
/// could run (checked by parsing the output, see `ActiveContent`). A violation traps, so
/// libFuzzer keeps the input as a crash.
enum SanitizerTarget {
    static let pageURL = URL(string: "https://news.example.com/section/story-1.html")!

    @Sendable static func run(_ bytes: [UInt8]) {
        let html = HTMLSanitizer.sanitize(html: bytes.text, url: pageURL)
        let problems = ActiveContent.problems(inHTML: html)
        if !problems.isEmpty {
            fatalError("sanitized output is not inert: \(problems.prefix(3)) in \(html.prefix(400).debugDescription)")
        }
    }
}
