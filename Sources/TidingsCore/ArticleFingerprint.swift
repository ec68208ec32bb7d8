/// Comparing text fingerprints (64-bit SimHash values; Extraction's `SimHash` computes them).
public enum ArticleFingerprint {
    /// Most differing bits for two texts to count as one story. Manku et al. (WWW 2007) used 3
    /// over billions of long web pages; news texts are short and a republisher adds a dateline
    /// and a credit line. Measured on Tests/ExtractionTests/Fixtures/texts: republished pairs
    /// differ by 3 (Chinese, ~600 characters) and 7 (English, ~220 words), unrelated articles
    /// by 31-33; 8 sits between with room on the unrelated side.
    public static let nearDuplicateDistance = 8

    public static func isNearDuplicate(_ a: UInt64, _ b: UInt64) -> Bool {
        (a ^ b).nonzeroBitCount <= nearDuplicateDistance
    }
}
