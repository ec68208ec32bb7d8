// libFuzzer's entry points (its own `main` drives them). One binary holds every target;
// TIDINGS_FUZZ_TARGET names the one to run (scripts/fuzz sets it), so the fuzz build
// compiles and links once.
import Foundation

nonisolated(unsafe) private var selected: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>,
                           _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let name = ProcessInfo.processInfo.environment["TIDINGS_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget.all[name] else {
        let known = FuzzTarget.all.keys.sorted().joined(separator: ", ")
        FileHandle.standardError.write(Data("tidings-fuzz: set TIDINGS_FUZZ_TARGET to one of: \(known)\n".utf8))
        exit(2)
    }
    if name == "wire", let folder = ProcessInfo.processInfo.environment["TIDINGS_FUZZ_WRITE_WIRE_SEEDS"] {
        WireTarget.writeSeeds(to: folder)
        exit(0)
    }
    selected = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    selected?.run(bytes)
    return 0
}
