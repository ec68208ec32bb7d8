import Foundation

/// Reads the keys of a source or settings file and collects every problem it finds, so that
/// `tidings check` can report all of them at once instead of stopping at the first.
/// Each accessor returns nil (and records why) when a value has the wrong type or range.
struct TableReader {
    let file: String
    private(set) var problems: [CatalogError] = []

    init(file: String) {
        self.file = file
    }

    mutating func report(_ key: String?, _ message: String) {
        problems.append(CatalogError(file: file, key: key, message: message))
    }

    /// Records every key of `table` that is not in `known`, with the closest known key when
    /// one is near ("did you mean 'every'?") or the table a known key belongs to instead.
    mutating func checkKeys(_ table: TOMLTable, known: [String], prefix: String = "",
                            elsewhere: [(table: String, keys: [String])] = []) {
        for key in table.keys where !known.contains(key) {
            var message = "unknown key"
            if let home = elsewhere.first(where: { $0.keys.contains(key) }) {
                message += "; '\(key)' belongs in \(home.table)"
            } else if let suggestion = KeySuggestion.closest(to: key, among: known) {
                message += "; did you mean '\(prefix)\(suggestion)'?"
            } else {
                message += " (known: \(known.sorted().joined(separator: ", ")))"
            }
            report(prefix + key, message)
        }
    }

    mutating func string(_ table: TOMLTable, _ key: String, prefix: String = "") -> String? {
        guard let value = table[key] else { return nil }
        guard let text = value.string else {
            report(prefix + key, "must be a string")
            return nil
        }
        return text
    }

    mutating func bool(_ table: TOMLTable, _ key: String, prefix: String = "") -> Bool? {
        guard let value = table[key] else { return nil }
        guard let flag = value.bool else {
            report(prefix + key, "must be true or false")
            return nil
        }
        return flag
    }

    mutating func positiveInt(_ table: TOMLTable, _ key: String, prefix: String = "") -> Int? {
        guard let value = table[key] else { return nil }
        guard let n = value.int, n > 0 else {
            report(prefix + key, "must be a positive whole number")
            return nil
        }
        return n
    }

    mutating func subtable(_ table: TOMLTable, _ key: String) -> TOMLTable? {
        guard let value = table[key] else { return nil }
        guard let inner = value.table else {
            report(key, "must be a table ([\(key)])")
            return nil
        }
        return inner
    }

    /// A string, or a list of strings (a single string counts as a list of one).
    mutating func strings(_ table: TOMLTable, _ key: String, prefix: String = "", allowSingle: Bool = false) -> [String]? {
        guard let value = table[key] else { return nil }
        if allowSingle, let single = value.string { return [single] }
        guard let array = value.array else {
            report(prefix + key, allowSingle ? "must be a string or a list of strings" : "must be a list of strings")
            return nil
        }
        var items: [String] = []
        for (index, item) in array.enumerated() {
            guard let text = item.string else {
                report("\(prefix)\(key)[\(index)]", "every item must be a string")
                continue
            }
            items.append(text)
        }
        return items
    }

    /// Longest duration accepted anywhere: beyond a year a value is a typo, and timers built
    /// from astronomically large values would overflow.
    static let maximumDuration: TimeInterval = 366 * 86400

    /// A duration written as text (`30s`, `15m`, `2h`, `1d`) or as a number of seconds.
    mutating func duration(_ table: TOMLTable, _ key: String, prefix: String = "", example: String) -> TimeInterval? {
        guard let value = table[key] else { return nil }
        let seconds: TimeInterval?
        if let text = value.string { seconds = DurationText.seconds(text) }
        else if let n = value.int { seconds = Double(n) }
        else { seconds = value.double }
        guard let seconds, seconds.isFinite, seconds >= 0 else {
            let shown = value.string.map { "'\($0)'" } ?? "this value"
            report(prefix + key, "\(shown) is not a duration such as \(example)")
            return nil
        }
        guard seconds <= Self.maximumDuration else {
            report(prefix + key, "\(DurationText.text(seconds)) is longer than a year")
            return nil
        }
        return seconds
    }

    /// The value of an HTTP request header: refused when it holds a line break or another
    /// control character, which would let the file add headers of its own to the request.
    mutating func headerValue(_ table: TOMLTable, _ key: String, prefix: String = "") -> String? {
        guard let text = string(table, key, prefix: prefix) else { return nil }
        if let problem = HeaderText.valueProblem(text) {
            report(prefix + key, problem)
            return nil
        }
        return text
    }
}

/// "Did you mean …?" for a misspelt key: the known key at the smallest edit distance, when
/// it is close enough to be a typo rather than a different word.
enum KeySuggestion {
    static func closest(to key: String, among known: [String]) -> String? {
        let typed = normalized(key)
        // An abbreviation (`warn` for `warning`) names its key unambiguously.
        let extended = known.filter { typed.count >= 3 && normalized($0).starts(with: typed) }
        if extended.count == 1 { return extended[0] }
        var best: (key: String, distance: Int)?
        for candidate in known {
            let distance = editDistance(typed, normalized(candidate))
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best else { return nil }
        // One edit in short keys, up to a third of the letters in long ones: `evry`, `tiemzone`,
        // `user-agent` and `refresh_tokn` get a suggestion, `colour` does not become `url`.
        let allowed = max(1, typed.count / 3)
        return best.distance <= allowed ? best.key : nil
    }

    /// Case and `-`/`_` do not count as typos.
    static func normalized(_ key: String) -> [Character] {
        Array(key.lowercased().replacingOccurrences(of: "-", with: "_"))
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// two neighbouring letters each cost one.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
