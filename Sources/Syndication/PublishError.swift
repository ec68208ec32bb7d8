/// Why publishing failed (the disk said no), naming the file.
public struct PublishError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "could not write \(file): \(message)" }
}
