import CUchardet
import Foundation

/// Chooses a page's encoding and decodes it without ever truncating it.
///
/// Order: byte order mark (unambiguous, as browsers treat it), the HTTP header charset, then
/// `<meta charset>` / `http-equiv` anywhere in the first 64 KiB (not only the first 1024 bytes),
/// then a feed's XML declaration (`<?xml … encoding="…"?>`), then uchardet when nothing is
/// declared or the declared charset does not decode the bytes.
/// Bytes that are valid UTF-8 with non-ASCII text are read as UTF-8 even when a legacy charset
/// is declared (pages that lie about their charset). gb2312/gbk are read as GB18030 and big5
/// as BIG5-HKSCS, as browsers do (libxml2 given gb2312 silently stops at GBK-only characters).
public enum CharsetDecoder {
    public struct Decoded: Sendable {
        public var text: String
        public var charset: String
        public var reason: String
    }

    /// How much of a page uchardet reads: its guess settles long before (and it is slow on megabytes).
    static let detectionSampleBytes = 64 * 1024
    /// How far into the page `<meta charset>` is looked for.
    static let metaSearchBytes = 64 * 1024
    /// Multi-byte UTF-8 sequences needed before valid UTF-8 overrides a declared legacy charset
    /// (a GBK page is almost never valid UTF-8 beyond a couple of characters).
    static let utf8EvidenceSequences = 8

    public static func decode(_ bytes: Data, contentType: String?) -> Decoded {
        decode([UInt8](bytes), contentType: contentType)
    }

    /// The decoded text never holds U+0000: libxml2 takes a NUL for the end of the document
    /// and silently dropped everything after it. NULs are removed, as a browser drops them
    /// from a page's text.
    public static func decode(_ input: [UInt8], contentType: String?) -> Decoded {
        var decoded = decodeKeepingNUL(input, contentType: contentType)
        if holdsNUL(decoded.text) { decoded.text.unicodeScalars.removeAll { $0 == "\u{0}" } }
        return decoded
    }

    /// Whether the text holds U+0000, by memchr over its UTF-8 storage (`utf8.contains` walks
    /// it one index at a time: 6% of the extraction bench's time).
    static func holdsNUL(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in utf8.baseAddress.map { memchr($0, 0, utf8.count) != nil } ?? false }
    }

    static func decodeKeepingNUL(_ input: [UInt8], contentType: String?) -> Decoded {
        if let bom = bomCharset(input), let text = convert(input.dropFirst(bom.length), from: bom.name) {
            return Decoded(text: text, charset: bom.name, reason: "byte order mark")
        }
        // Evidence for "valid UTF-8 despite the declaration" is only needed when a legacy charset is declared.
        var evidence: (isValid: Bool, multiByteSequences: Int)?
        func utf8() -> (isValid: Bool, multiByteSequences: Int) {
            if let evidence { return evidence }
            let computed = utf8Evidence(input)
            evidence = computed
            return computed
        }
        var declaredLabels: [String] = []
        var failed: [String] = []
        func attempt(_ label: String, origin: String) -> Decoded? {
            declaredLabels.append(label)
            guard let name = canonicalName(label) else { failed.append("\(origin) charset=\(label) unknown"); return nil }
            if name == "UTF-8" {
                if let text = String(validating: input, as: UTF8.self) {
                    return Decoded(text: text, charset: name, reason: "\(origin) charset=\(label)")
                }
                evidence = (false, 0)
            } else {
                if name != "UTF-16LE" && name != "UTF-16BE", utf8().isValid, utf8().multiByteSequences >= utf8EvidenceSequences {
                    return Decoded(text: String(decoding: input, as: UTF8.self), charset: "UTF-8",
                                   reason: "\(origin) says \(label) but the bytes are valid UTF-8")
                }
                if let text = convert(input[...], from: name) {
                    return Decoded(text: text, charset: name, reason: "\(origin) charset=\(label)" + mapped(label, name))
                }
            }
            failed.append("\(origin) charset=\(label) does not decode")
            return nil
        }
        // The page's own declaration is only read when the HTTP header gives none that works.
        if let label = contentType.flatMap(charsetParameter), let decoded = attempt(label, origin: "HTTP header") { return decoded }
        if let label = metaCharset(input), let decoded = attempt(label, origin: "meta") { return decoded }
        // HTML ignores an XML declaration (WHATWG encoding sniffing); XML, feeds above all, is declared by it.
        if !isHTML(contentType), let label = xmlDeclarationEncoding(input),
           let decoded = attempt(label, origin: "XML declaration") { return decoded }
        let prefix = failed.isEmpty ? "nothing declared" : failed.joined(separator: ", ")
        if evidence?.isValid != false, let text = String(validating: input, as: UTF8.self) {
            return Decoded(text: text, charset: "UTF-8", reason: "\(prefix); valid UTF-8")
        }
        if let guess = detect(input), let name = canonicalName(guess), let text = convert(input[...], from: name) {
            return Decoded(text: text, charset: name, reason: "\(prefix); uchardet guessed \(guess)" + mapped(guess, name))
        }
        if let text = convert(input[...], from: "GB18030") {
            return Decoded(text: text, charset: "GB18030", reason: "\(prefix); decodes as GB18030")
        }
        // Nothing decodes cleanly: keep every byte we can, replacing the invalid ones.
        let fallback = declaredLabels.lazy.compactMap(canonicalName).first ?? detect(input).flatMap(canonicalName) ?? "UTF-8"
        let text = fallback == "UTF-8" ? String(decoding: input, as: UTF8.self) : convertLossy(input, from: fallback)
        return Decoded(text: text, charset: fallback, reason: "\(prefix); invalid bytes replaced (\(fallback))")
    }

    /// Maps a declared label to the decoder to use; nil for labels we cannot decode.
    public static func canonicalName(_ label: String) -> String? {
        let l = trimmed(Substring(label), dropping: " \t\"'").lowercased()
        switch l {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "ascii/utf-8": return "UTF-8"
        case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "gb_2312-80", "gb_2312", "csgb2312", "x-euc-cn", "hz-gb-2312":
            return "GB18030"
        case "big5", "big5-hkscs", "x-x-big5", "cn-big5", "csbig5", "x-big5": return "BIG5-HKSCS"
        case "iso-8859-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252", "iso8859-1", "l1": return "WINDOWS-1252"
        case "utf-16", "utf-16le": return "UTF-16LE"
        case "utf-16be": return "UTF-16BE"
        case "shift_jis", "sjis", "shift-jis", "x-sjis", "windows-31j", "ms_kanji": return "CP932"
        case "euc-kr", "ks_c_5601-1987", "windows-949": return "CP949"
        case "": return nil
        default:
            guard l.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ":" || $0 == "." }) else { return nil }
            guard let cd = iconv_open("UTF-8", l.uppercased()), cd != iconv_t(bitPattern: -1) else { return nil }
            iconv_close(cd)
            return l.uppercased()
        }
    }

    static func mapped(_ declared: String, _ name: String) -> String {
        declared.uppercased() == name ? "" : " (read as \(name))"
    }

    /// Whether a Content-Type value names HTML (`text/html`, any parameters).
    static func isHTML(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }
        return trimmed(Substring(mediaType), dropping: " \t").lowercased() == "text/html"
    }

    /// The `charset` parameter of a Content-Type value, without quotes; read on bytes, as it
    /// runs for every response.
    static func charsetParameter(_ contentType: String) -> String? {
        let bytes = Array(contentType.utf8)
        let name = Array("charset".utf8)
        var index = 0
        while let semicolon = bytes[index...].firstIndex(of: UInt8(ascii: ";")) {
            var start = semicolon + 1
            while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            let end = bytes[start...].firstIndex(of: UInt8(ascii: ";")) ?? bytes.count
            index = end
            guard let equals = bytes[start..<end].firstIndex(of: UInt8(ascii: "=")) else { continue }
            let key = bytes[start..<equals].reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed()
            guard key.count == name.count, zip(key, name).allSatisfy({ $0 | 0x20 == $1 }) else { continue }
            let value = trimmed(Substring(decoding: bytes[(equals + 1)..<end], as: UTF8.self), dropping: " \t\"'")
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The text without the given ASCII characters at either end. Plain Swift rather than
    /// Foundation's `trimmingCharacters`, which bridges through NSString on every response.
    static func trimmed(_ text: Substring, dropping characters: String) -> String {
        let unwanted = characters.utf8
        let bytes = text.utf8
        guard let first = bytes.firstIndex(where: { !unwanted.contains($0) }),
              let last = bytes.lastIndex(where: { !unwanted.contains($0) }) else { return "" }
        return String(Substring(bytes[first...last]))
    }

    static func bomCharset(_ b: [UInt8]) -> (name: String, length: Int)? {
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { return ("UTF-8", 3) }
        if b.count >= 2, b[0] == 0xFF, b[1] == 0xFE { return ("UTF-16LE", 2) }
        if b.count >= 2, b[0] == 0xFE, b[1] == 0xFF { return ("UTF-16BE", 2) }
        return nil
    }

    /// Whether the bytes are valid UTF-8, and how many multi-byte sequences they hold.
    static func utf8Evidence(_ array: [UInt8]) -> (isValid: Bool, multiByteSequences: Int) {
        array.withUnsafeBufferPointer { utf8Evidence($0) }
    }

    static func utf8Evidence(_ bytes: UnsafeBufferPointer<UInt8>) -> (isValid: Bool, multiByteSequences: Int) {
        var count = 0
        var i = 0
        let n = bytes.count
        guard let base = bytes.baseAddress else { return (true, 0) }
        while i < n {
            // skip ASCII eight bytes at a time
            while i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < n else { break }
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            if b >= 0xC2 && b <= 0xDF { length = 2 } else if b >= 0xE0 && b <= 0xEF { length = 3 } else if b >= 0xF0 && b <= 0xF4 { length = 4 } else { return (false, count) }
            guard i + length <= n else { return (false, count) }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return (false, count) }
            if length == 3 {
                let second = bytes[i + 1]
                if (b == 0xE0 && second < 0xA0) || (b == 0xED && second > 0x9F) { return (false, count) }
            } else if length == 4 {
                let second = bytes[i + 1]
                if (b == 0xF0 && second < 0x90) || (b == 0xF4 && second > 0x8F) { return (false, count) }
            }
            count += 1
            i += length
        }
        return (true, count)
    }

    /// Finds `<meta charset=…>` or `<meta http-equiv content="…charset=…">` in the first 64 KiB,
    /// scanning bytes (ASCII-compatible encodings only, which is all a meta can be read in).
    static func metaCharset(_ bytes: [UInt8]) -> String? {
        let n = min(bytes.count, metaSearchBytes)
        var i = 0
        func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }
        func matches(_ at: Int, _ word: [UInt8]) -> Bool {
            guard at + word.count <= n else { return false }
            for k in 0..<word.count where lower(bytes[at + k]) != word[k] { return false }
            return true
        }
        let meta = Array("<meta".utf8), charset = Array("charset".utf8)
        while i < n {
            guard bytes[i] == UInt8(ascii: "<"), matches(i, meta) else { i += 1; continue }
            var j = i + 5
            while j < n && bytes[j] != UInt8(ascii: ">") {
                if matches(j, charset) {
                    var k = j + 7
                    while k < n && (bytes[k] == 0x20 || bytes[k] == 0x09 || bytes[k] == 0x0A || bytes[k] == 0x0D) { k += 1 }
                    guard k < n && bytes[k] == UInt8(ascii: "=") else { j += 7; continue }
                    k += 1
                    while k < n && (bytes[k] == 0x20 || bytes[k] == UInt8(ascii: "\"") || bytes[k] == UInt8(ascii: "'")) { k += 1 }
                    var end = k
                    while end < n, bytes[end] < 0x80,
                          Character(Unicode.Scalar(bytes[end])).isLetter || Character(Unicode.Scalar(bytes[end])).isNumber
                            || bytes[end] == UInt8(ascii: "-") || bytes[end] == UInt8(ascii: "_")
                            || bytes[end] == UInt8(ascii: ":") || bytes[end] == UInt8(ascii: ".") {
                        end += 1
                    }
                    if end > k { return String(decoding: bytes[k..<end], as: UTF8.self) }
                    j = k
                    continue
                }
                j += 1
            }
            i = j
        }
        return nil
    }

    /// The encoding an XML declaration names (`<?xml version="1.0" encoding="GBK"?>`), which
    /// is how a feed without an HTTP charset declares its own; nil without one.
    static func xmlDeclarationEncoding(_ bytes: [UInt8]) -> String? {
        let whitespace: [UInt8] = [0x20, 0x09, 0x0A, 0x0D]
        var start = 0
        while start < min(bytes.count, 64), whitespace.contains(bytes[start]) { start += 1 }
        guard bytes[start...].starts(with: "<?xml".utf8) else { return nil }
        let declaration = bytes[start..<min(bytes.count, start + 512)]
        guard let close = declaration.indices.first(where: { bytes[$0] == UInt8(ascii: "?") && $0 + 1 < bytes.count && bytes[$0 + 1] == UInt8(ascii: ">") }),
              let key = declaration[..<close].firstRange(of: "encoding".utf8) else { return nil }
        var index = key.upperBound
        while index < close, whitespace.contains(bytes[index]) { index += 1 }
        guard index < close, bytes[index] == UInt8(ascii: "=") else { return nil }
        index += 1
        while index < close, whitespace.contains(bytes[index]) { index += 1 }
        guard index < close, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else { return nil }
        let quote = bytes[index]
        guard let end = bytes[(index + 1)..<close].firstIndex(of: quote), end > index + 1 else { return nil }
        return String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
    }

    /// uchardet's guess, or nil when it has none.
    static func detect(_ bytes: [UInt8]) -> String? {
        guard let detector = uchardet_new() else { return nil }
        defer { uchardet_delete(detector) }
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                uchardet_handle_data(detector, $0.baseAddress, min($0.count, detectionSampleBytes))
            }
        }
        guard status == 0 else { return nil }
        uchardet_data_end(detector)
        guard let name = uchardet_get_charset(detector) else { return nil }
        let guess = String(cString: name)
        return guess.isEmpty || guess.uppercased() == "ASCII" ? (guess.isEmpty ? nil : "UTF-8") : guess
    }

    /// Strict conversion with iconv; nil when any byte sequence is invalid.
    static func convert(_ bytes: ArraySlice<UInt8>, from name: String) -> String? {
        if name == "UTF-8" { return String(validating: bytes, as: UTF8.self) }
        guard let cd = iconv_open("UTF-8", name), cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var output = [UInt8](repeating: 0, count: bytes.count * 4 + 16)
        var inLeft = bytes.count
        var outLeft = output.count
        let ok = bytes.withUnsafeBufferPointer { inBuf -> Bool in
            output.withUnsafeMutableBufferPointer { outBuf -> Bool in
                var inPtr = inBuf.baseAddress.map { UnsafeMutablePointer(mutating: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
                var outPtr = outBuf.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
                return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1
            }
        }
        guard ok, inLeft == 0 else { return nil }
        return String(decoding: output[0..<(output.count - outLeft)], as: UTF8.self)
    }

    /// Conversion that replaces each undecodable byte with U+FFFD and carries on to the end.
    static func convertLossy(_ bytes: [UInt8], from name: String) -> String {
        guard let cd = iconv_open("UTF-8", name), cd != iconv_t(bitPattern: -1) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        defer { iconv_close(cd) }
        var output = [UInt8](repeating: 0, count: bytes.count * 4 + 16)
        var produced = 0
        var position = 0
        while position < bytes.count {
            var inLeft = bytes.count - position
            var outLeft = output.count - produced
            let ok = bytes.withUnsafeBufferPointer { inBuf -> Bool in
                output.withUnsafeMutableBufferPointer { outBuf -> Bool in
                    var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: UnsafeRawPointer(inBuf.baseAddress! + position).assumingMemoryBound(to: CChar.self))
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress! + produced).assumingMemoryBound(to: CChar.self)
                    return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1
                }
            }
            produced = output.count - outLeft
            position = bytes.count - inLeft
            if ok { break }
            // skip one bad byte, write U+FFFD
            position += 1
            if produced + 3 > output.count { output += [UInt8](repeating: 0, count: 64) }
            output[produced] = 0xEF; output[produced + 1] = 0xBF; output[produced + 2] = 0xBD
            produced += 3
            iconv(cd, nil, nil, nil, nil)
        }
        return String(decoding: output[0..<produced], as: UTF8.self)
    }
}
