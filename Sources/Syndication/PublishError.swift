/// Why a file was not written, naming the file.
public struct PublishError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The disk said no (permissions, space, a file where a folder should be).
        case disk
        /// A source id that cannot name a file or collides with another one.
        case name
        /// The new feed would have dropped entries the old one had while it is not full: the
        /// old feed stays (the state database was most likely deleted or replaced).
        case wouldLoseEntries
    }

    public var kind: Kind
    public var file: String
    public var message: String

    public init(kind: Kind = .disk, file: String, message: String) {
        self.kind = kind
        self.file = file
        self.message = message
    }

    public var description: String {
        kind == .wouldLoseEntries ? "kept \(file) as it was: \(message)" : "could not write \(file): \(message)"
    }
}
