import Extraction

/// How many words a text has, for `[filter] min_words` and what `tidings add` shows.
public enum WordCount {
    /// Words as a reader counts them: runs of letters or digits, and each Han, kana or hangul
    /// character on its own (those scripts put no spaces between words).
    public static func of(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            if CJKScript.contains(scalar) {
                count += 1
                inWord = false
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if !inWord { count += 1 }
                inWord = true
            } else if scalar != "'" && scalar != "’" && scalar != "-" {
                inWord = false
            }
        }
        return count
    }
}
