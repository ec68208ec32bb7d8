/// The image formats the proxy passes on, told from the first bytes of the body (never from
/// the server's Content-Type: a hostile or broken server may call HTML or SVG an image).
/// SVG is never among them: it is a document that can carry script.
enum ImageType: String, Sendable, CaseIterable {
    case jpeg = "image/jpeg"
    case png = "image/png"
    case gif = "image/gif"
    case webp = "image/webp"
    case avif = "image/avif"

    var mediaType: String { rawValue }

    /// The type the bytes begin as, or nil for anything else.
    static func sniff(_ bytes: [UInt8]) -> ImageType? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }                                  // SOI + a marker
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }     // PNG signature
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return .webp }
        if isAVIF(bytes) { return .avif }
        return nil
    }

    /// ISO BMFF `ftyp` box (ISO/IEC 14496-12 §4.3) whose major or a compatible brand is
    /// `avif` (still) or `avis` (sequence).
    private static func isAVIF(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 16, Array(bytes[4..<8]) == Array("ftyp".utf8) else { return false }
        let size = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        guard size >= 16, size <= bytes.count else { return false }
        let brands = [Array("avif".utf8), Array("avis".utf8)]
        if brands.contains(Array(bytes[8..<12])) { return true }
        var offset = 16   // after major brand and minor version
        while offset + 4 <= size {
            if brands.contains(Array(bytes[offset..<offset + 4])) { return true }
            offset += 4
        }
        return false
    }
}
