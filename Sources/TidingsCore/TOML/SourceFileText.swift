import Foundation

/// The text of a new `feeds/<id>.toml` written by `tidings add` and `tidings import`: the
/// few keys a URL-only source needs, with a comment saying where it came from.
public enum SourceFileText {
    public static func make(url: URL, title: String?, comment: String) -> String {
        var lines = ["# " + oneLine(comment)]
        if let title, !title.isEmpty { lines.append("title = " + quoted(title)) }
        lines.append("url   = " + quoted(url.absoluteString))
        return lines.joined(separator: "\n") + "\n"
    }

    /// A TOML basic string (TOML 1.0 §String): quotes, backslashes and control characters escaped.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }
}
