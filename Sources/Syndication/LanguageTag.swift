import Foundation

/// BCP 47 language tags as `xml:lang` and JSON Feed accept them (RFC 4287's pattern
/// `[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*`); `zh_CN` becomes `zh-CN`, anything else is dropped.
enum LanguageTag {
    static func normalized(_ text: String?) -> String? {
        guard let text else { return nil }
        let tag = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "-")
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (1...8).contains(first.count),
              first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        for part in parts.dropFirst() {
            guard (1...8).contains(part.count), part.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        }
        return tag
    }
}
