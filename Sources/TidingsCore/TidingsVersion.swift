/// The version printed by `tidings --version` and written into feeds' generator element.
public enum TidingsVersion {
    public static let current = "0.1.0"
}
