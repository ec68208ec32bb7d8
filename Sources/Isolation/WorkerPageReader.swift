import Discovery
import Fetching
import Foundation
import TidingsCore

/// Reads pages in `tidings worker` processes: a trap, a crash or a hang on one page fails that
/// page (an error naming its URL and "extractor crashed" or "timed out"), and the next page
/// goes to a fresh worker.
public final class WorkerPageReader: PageReader {
    private let pool: WorkerPool

    public init(configuration: WorkerConfiguration) {
        pool = WorkerPool(configuration: configuration)
    }

    public var configuration: WorkerConfiguration { pool.configuration }
    /// Workers started, restarted, crashed and timed out so far.
    public var counts: WorkerCounts { pool.statistics }
    /// CPU seconds (user and system) the idle workers have used so far, from /proc (for the
    /// bench: a worker's time is not this process's).
    public var idleWorkersCPUSeconds: Double {
        pool.idleWorkerIDs.reduce(0) { total, pid in
            let descriptor = open("/proc/\(pid)/stat", O_RDONLY)
            guard descriptor >= 0 else { return total }
            defer { close(descriptor) }
            var buffer = [UInt8](repeating: 0, count: 1024)
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0, let end = buffer[..<count].lastIndex(of: UInt8(ascii: ")")) else { return total }
            // After "pid (comm) ": state is field 3, utime and stime are fields 14 and 15.
            let fields = String(decoding: buffer[(end + 2)..<count], as: UTF8.self).split(separator: " ")
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return total }
            return total + (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
        }
    }

    /// The process ids of the idle workers (for tests).
    var idleWorkerIDs: [pid_t] { pool.idleWorkerIDs }

    public func article(on page: Page, of source: Source) async -> Result<ArticlePage, PageReadFailure> {
        await ask(.article(page, source), url: page.url) { response throws(WireError) in
            guard case .article(let result) = response else { throw WireError(description: "not an article answer") }
            return result
        }
    }

    public func links(on page: Page, of source: Source, rules: DiscoverRules, limit: Int) async -> Result<DiscoveryResult, PageReadFailure> {
        await ask(.links(page, source, rules, limit: limit), url: page.url) { response throws(WireError) in
            guard case .links(let result) = response else { throw WireError(description: "not a links answer") }
            return result
        }
    }

    public func sitemaps(inRobotsTxt page: Page, robotsURL: URL) async -> Result<[URL], PageReadFailure> {
        await ask(.sitemaps(robotsTxt: page.text, robotsURL: robotsURL), url: page.url) { response throws(WireError) in
            guard case .sitemaps(let urls) = response else { throw WireError(description: "not a sitemaps answer") }
            return urls
        }
    }

    public func evidence(on listing: Page, of source: Source) async -> Result<DiscoveryDiagnosis.ListingEvidence, PageReadFailure> {
        await ask(.evidence(listing, source), url: listing.url) { response throws(WireError) in
            guard case .evidence(let evidence) = response else { throw WireError(description: "not an evidence answer") }
            return evidence
        }
    }

    public func decodedBody(_ body: [UInt8], contentType: String?, url: URL, limit: Int) async -> Result<DecodedBody, BodyReadFailure> {
        let answer = await ask(.body(body, contentType: contentType, url: url, limit: limit), url: url) { response throws(WireError) in
            guard case .body(let result) = response else { throw WireError(description: "not a body answer") }
            return result
        }
        switch answer {
        case .success(let result): return result
        case .failure(let failure): return .failure(.unreadable(failure.description))
        }
    }

    public func robotsRules(_ body: [UInt8], productToken: String, url: URL) async -> Result<RobotsRules, BodyReadFailure> {
        let answer = await ask(.robots(body, productToken: productToken), url: url) { response throws(WireError) in
            guard case .robots(let rules) = response else { throw WireError(description: "not a robots.txt answer") }
            return rules
        }
        return answer.mapError { .unreadable($0.description) }
    }

    private func ask<Answer>(_ request: WorkerRequest, url: URL,
                             _ unwrap: @escaping (WorkerResponse) throws(WireError) -> Answer) async -> Result<Answer, PageReadFailure> {
        guard let frame = request.encoded() else {
            return .failure(PageReadFailure(.unavailable, url: url, detail: "the page is larger than a worker reads (\(WorkerProcess.maximumFrame >> 20) MiB)"))
        }
        return await pool.exchange(frame, url: url) { payload in
            let response = try WorkerResponse.decoded(payload)
            if case .refused(let reason) = response { throw WireError(description: "the worker refused the request: \(reason)") }
            return try unwrap(response)
        }
    }
}
