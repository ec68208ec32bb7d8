/// Comparing text fingerprints (64-bit SimHash values; the hashing itself lives with Discovery).
public enum ArticleFingerprint {
    /// Most differing bits for two texts to count as one story. Calibrated by the Discovery
    /// tests: a republished Chinese wire story differs by 3 bits, an English wire pair by 7,
    /// unrelated articles by 31-33.
    public static let nearDuplicateDistance = 8

    public static func isNearDuplicate(_ a: UInt64, _ b: UInt64) -> Bool {
        (a ^ b).nonzeroBitCount <= nearDuplicateDistance
    }
}
