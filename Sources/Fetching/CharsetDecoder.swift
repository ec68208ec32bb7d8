import Foundation

/// Chooses a page's encoding and decodes it: HTTP header, then BOM, then `<meta>`,
/// then a strict UTF-8 try, then GB18030. gb2312/gbk are read as GB18030 and big5 as
/// BIG5-HKSCS, as browsers do (libxml2 given gb2312 silently truncates at GBK-only characters).
public enum CharsetDecoder {
    public struct Decoded: Sendable {
        public var text: String
        public var charset: String
        public var reason: String
    }

    public static func decode(_ bytes: Data, contentType: String?) -> Decoded {
        if let bom = bomCharset(bytes) {
            if let text = convert(bytes.dropFirst(bom.length), from: bom.name) {
                return Decoded(text: text, charset: bom.name, reason: "byte order mark")
            }
        }
        if let declared = contentType.flatMap(charsetParameter), let name = canonicalName(declared),
           let text = convert(bytes, from: name) {
            return Decoded(text: text, charset: name, reason: "HTTP header charset=\(declared)" + mapped(declared, name))
        }
        if let declared = metaCharset(bytes), let name = canonicalName(declared), let text = convert(bytes, from: name) {
            return Decoded(text: text, charset: name, reason: "meta charset=\(declared)" + mapped(declared, name))
        }
        if let text = String(data: bytes, encoding: .utf8) {
            return Decoded(text: text, charset: "UTF-8", reason: "valid UTF-8, nothing declared")
        }
        if let text = convert(bytes, from: "GB18030") {
            return Decoded(text: text, charset: "GB18030", reason: "not UTF-8, decodes as GB18030")
        }
        return Decoded(text: String(decoding: bytes, as: UTF8.self), charset: "UTF-8", reason: "undecodable: invalid bytes replaced")
    }

    /// Maps a declared label to the decoder to use; nil for labels we cannot decode.
    public static func canonicalName(_ label: String) -> String? {
        let l = label.trimmingCharacters(in: CharacterSet(charactersIn: " \"'")).lowercased()
        switch l {
        case "utf-8", "utf8": return "UTF-8"
        case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "gb_2312-80": return "GB18030"
        case "big5", "big5-hkscs", "x-x-big5": return "BIG5-HKSCS"
        case "iso-8859-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252": return "WINDOWS-1252"
        case "": return nil
        default: return l.uppercased()
        }
    }

    static func mapped(_ declared: String, _ name: String) -> String {
        declared.uppercased() == name ? "" : " (read as \(name))"
    }

    static func charsetParameter(_ contentType: String) -> String? {
        for part in contentType.split(separator: ";").dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" {
                return String(kv[1]).trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
            }
        }
        return nil
    }

    static func bomCharset(_ bytes: Data) -> (name: String, length: Int)? {
        let b = [UInt8](bytes.prefix(3))
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { return ("UTF-8", 3) }
        if b.count >= 2, b[0] == 0xFF, b[1] == 0xFE { return ("UTF-16LE", 2) }
        if b.count >= 2, b[0] == 0xFE, b[1] == 0xFF { return ("UTF-16BE", 2) }
        return nil
    }

    /// Finds `<meta charset=…>` or `<meta http-equiv content="…charset=…">` anywhere in the head.
    static func metaCharset(_ bytes: Data) -> String? {
        let head = String(decoding: bytes.prefix(64 * 1024), as: UTF8.self).lowercased()
        let pattern = #/<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_\-:.]+)/#
        return head.firstMatch(of: pattern).map { String($0.1) }
    }

    /// Strict conversion with iconv; nil when any byte sequence is invalid.
    static func convert<D: DataProtocol>(_ bytes: D, from name: String) -> String? {
        let input = [UInt8](bytes)
        if name == "UTF-8" { return String(bytes: input, encoding: .utf8) }
        guard let cd = iconv_open("UTF-8", name), cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        var inLeft = input.count
        var outLeft = output.count
        let ok = input.withUnsafeBufferPointer { inBuf -> Bool in
            output.withUnsafeMutableBufferPointer { outBuf -> Bool in
                var inPtr = UnsafeMutablePointer(mutating: inBuf.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).assumingMemoryBound(to: CChar.self) })
                var outPtr = outBuf.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
                return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1
            }
        }
        guard ok, inLeft == 0 else { return nil }
        return String(decoding: output[0..<(output.count - outLeft)], as: UTF8.self)
    }
}
