import Isolation

/// The worker processes every refresh of this process parses pages in, shared by the
/// refreshes and kept across SIGHUP reloads; parsing stays in this process only when the
/// executable cannot be found to start them.
enum SharedPageReader {
    static let reader: any PageReader = {
        guard let executable = WorkerConfiguration.currentExecutable else { return InProcessPageReader() }
        return WorkerPageReader(configuration: WorkerConfiguration(executable: executable))
    }()
}
