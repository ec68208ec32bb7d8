import Foundation

/// Titles compared as bags of words, the way the bench compares texts: one token per CJK
/// character, elsewhere a run of letters and digits, case and compatibility forms folded.
enum TitleWords {
    static func words(_ s: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { result.append(String(current)); current.removeAll() }
        }
        for scalar in s.precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars {
            if CJKScript.contains(scalar) {
                flush()
                result.append(String(scalar))
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return result
    }

    /// The share of `a`'s words that `b` also has (0 when `a` has none).
    static func coverage(of a: [String], by b: [String]) -> Double {
        guard !a.isEmpty else { return 0 }
        let present = Set(b)
        return Double(a.filter { present.contains($0) }.count) / Double(a.count)
    }

    /// How far two titles say the same thing: the lower of the two coverages, so that neither
    /// a long title holding a short one nor a short one inside a long one counts as agreement.
    static func agreement(_ a: String, _ b: String) -> Double {
        let wa = words(a), wb = words(b)
        return min(coverage(of: wa, by: wb), coverage(of: wb, by: wa))
    }
}
