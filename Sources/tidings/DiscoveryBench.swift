import ArgumentParser
import Discovery
import Foundation
import TidingsCore

/// `tidings discover --bench DIR --out DIR`: the page-only discovery run a benchmark scores.
struct DiscoveryBench {
    let discoverer: LinkDiscoverer
    let limit: Int

    struct PageInfo: Decodable { var url: String? }
    struct Output: Encodable { var links: [String] }

    func run(input: String, output: String) throws {
        let inputFolder = URL(fileURLWithPath: input, isDirectory: true)
        let outputFolder = URL(fileURLWithPath: output, isDirectory: true)
        try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true)
        let ids = try FileManager.default.contentsOfDirectory(atPath: inputFolder.path)
            .filter { $0.hasSuffix(".html") }.map { String($0.dropLast(5)) }.sorted()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var written = 0
        for id in ids {
            let htmlPath = inputFolder.appendingPathComponent(id + ".html").path
            var pageURL: String?
            if let data = FileManager.default.contents(atPath: inputFolder.appendingPathComponent(id + ".json").path) {
                pageURL = (try? JSONDecoder().decode(PageInfo.self, from: data))?.url
            }
            do {
                let page = try DiscoverCommand.pageFromFile(htmlPath, url: pageURL)
                let result = discoverer.discover(page: page, limit: limit)
                let data = try encoder.encode(Output(links: result.links.map(\.url.absoluteString)))
                try data.write(to: outputFolder.appendingPathComponent(id + ".json"), options: .atomic)
                written += 1
            } catch {
                FileHandle.standardError.write(Data("error: \(htmlPath): \(error)\n".utf8))
            }
        }
        print("\(written) of \(ids.count) pages written to \(outputFolder.path)")
    }
}
