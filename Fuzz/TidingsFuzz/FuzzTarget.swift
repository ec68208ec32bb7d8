import Foundation

/// One fuzz target: a name and what it does with the fuzzer's bytes.
struct FuzzTarget: Sendable {
    let run: @Sendable ([UInt8]) -> Void

    static let all: [String: FuzzTarget] = [
        "extract": FuzzTarget(run: ParserTargets.extract),
        "discover": FuzzTarget(run: ParserTargets.discover),
        "feed": FuzzTarget(run: ParserTargets.feed),
        "toml": FuzzTarget(run: ParserTargets.toml),
        "robots": FuzzTarget(run: ParserTargets.robots),
        "charset": FuzzTarget(run: ParserTargets.charset),
        "date": FuzzTarget(run: ParserTargets.date),
        "url": FuzzTarget(run: ParserTargets.url),
        "sanitize": FuzzTarget(run: SanitizerTarget.run),
        "wire": FuzzTarget(run: WireTarget.run),
    ]
}

extension [UInt8] {
    /// The bytes as text, as the Fetcher hands pages on (invalid UTF-8 repaired).
    var text: String { String(decoding: self, as: UTF8.self) }

    /// The first line and the rest: targets that need a parameter (a Content-Type, a URL)
    /// take it from the first line, so the fuzzer mutates both.
    var firstLineAndRest: (String, [UInt8]) {
        guard let newline = firstIndex(of: UInt8(ascii: "\n")) else { return (text, []) }
        return (Array(self[..<newline]).text, Array(self[(newline + 1)...]))
    }
}
