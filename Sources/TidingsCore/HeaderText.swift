/// What may go into an HTTP request header that a source or settings file supplies
/// (`[fetch] headers`, `cookies`, `referer`, `user_agent`). A line break in a value would
/// end the header and start another one of the file's choosing, so control characters are
/// refused where the file is read, before any request is made.
public enum HeaderText {
    /// Why `name` cannot be a field name, or nil. RFC 9110 §5.1: a field name is a token
    /// (§5.6.2: letters, digits and `!#$%&'*+-.^_`|~`).
    public static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "a header name cannot be empty" }
        for scalar in name.unicodeScalars where !isTokenCharacter(scalar) {
            return "a header name may hold only letters, digits and !#$%&'*+-.^_`|~ (found \(describe(scalar)))"
        }
        return nil
    }

    /// Why `value` cannot be a field value, or nil. RFC 9110 §5.5 forbids CR, LF and NUL;
    /// every other control character except the tab is refused as well.
    public static func valueProblem(_ value: String) -> String? {
        for scalar in value.unicodeScalars where isControl(scalar) {
            return "must be one line without control characters (found \(describe(scalar)))"
        }
        return nil
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F
            || (0x80...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return false }
        let c = Character(scalar)
        return c.isLetter || c.isNumber || "!#$%&'*+-.^_`|~".contains(c)
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\r": return "a carriage return"
        case "\n": return "a line feed"
        case "\0": return "a NUL byte"
        case " ": return "a space"
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }
}
