/// Why the daemon could not start or run.
public enum DaemonError: Error, Sendable, CustomStringConvertible {
    case stateFolderNotWritable(path: String, cause: String)
    case cannotListen(address: String, cause: String)
    case tokenUnreadable(path: String, cause: String)
    case alreadyRunning(pid: Int32, stateDirectory: String)

    public var description: String {
        switch self {
        case .stateFolderNotWritable(let path, let cause): "cannot write \(path): \(cause)"
        case .cannotListen(let address, let cause): "cannot listen on \(address): \(cause)"
        case .tokenUnreadable(let path, let cause): "cannot read the refresh token from \(path): \(cause)"
        case .alreadyRunning(let pid, let folder): "another daemon (pid \(pid)) already uses the state folder \(folder)"
        }
    }
}
