/// Which characters count as CJK (Han, kana, hangul) for text measures and shingling.
public enum CJKScript {
    public static func contains(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0xF900...0xFAFF,
             0x3040...0x30FF, 0xAC00...0xD7AF: return true
        default: return false
        }
    }
}
