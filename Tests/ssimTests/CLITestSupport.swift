import Foundation
import SSIMFormats
import StructuralSimilarity
import Testing

/// Runs the built `ssim` binary and makes the files the tests feed it.
enum CLI {
    /// The `ssim` built beside the tests: in the folder of the test binary or one of its parents.
    ///
    /// On macOS the tests run inside a host process of the toolchain (xctest or
    /// swiftpm-testing-helper: `Bundle.main` is that host), which loaded the binary inside the
    /// `.xctest` bundle: that binary's own path (dladdr of this image) comes first, then the
    /// loaded `.xctest` bundles. On Linux `Bundle.main` is the test executable itself
    /// (`<scratch>/<triple>/debug/swift-ssimPackageTests.xctest`; glibc's dladdr needs
    /// _GNU_SOURCE, which the Glibc module does not set). Works for every `--scratch-path` (the
    /// sanitizer builds of .ci/run). The macOS path is unverified: no Mac here.
    static let binary: URL = {
        #if os(Windows)
        let name = "ssim.exe"
        #else
        let name = "ssim"
        #endif
        var starts: [URL] = []
        #if canImport(Darwin)
        var image = Dl_info()
        if dladdr(#dsohandle, &image) != 0, let path = image.dli_fname {
            starts.append(URL(fileURLWithPath: String(cString: path)).resolvingSymlinksInPath())
        }
        #endif
        starts += Bundle.allBundles.filter { $0.bundlePath.hasSuffix(".xctest") }.map(\.bundleURL)
        starts.append(Bundle.main.bundleURL)
        for start in starts {
            var url = start  // (a folder for bundles; for the image, its file: nothing beside it is found in it)
            while true {
                let candidate = url.appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                    FileManager.default.isExecutableFile(atPath: candidate.path)
                {
                    return candidate
                }
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path { break }
                url = parent
            }
        }
        return URL(fileURLWithPath: name)  // not found: every CLI test then fails to run it
    }()

    struct Run {
        var status: Int32
        var out: String
        var err: String
        /// The lines of standard output.
        var lines: [String] { out.split(separator: "\n").map(String.init) }
    }

    static func run(_ arguments: [String], in directory: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes at once so that neither fills up while the other is read.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let run = Run(
            status: process.terminationStatus, out: String(decoding: o, as: UTF8.self),
            err: String(decoding: errData, as: UTF8.self))
        // Every --json output of every CLI test validates against Documentation/ssim-output.schema.json.
        if arguments.contains("--json") {
            let errors = OutputSchema.errors(inLines: run.out)
            #expect(errors.isEmpty, "ssim \(arguments.joined(separator: " ")): --json output against the schema: \(errors)")
        }
        return run
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "ssim-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func files(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    static func bytes(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    static func write(_ data: Data, to path: String) throws {
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// A `.npy` file with any dtype string and raw data, as numpy.save writes it.
    static func npy(descr: String, shape: [Int], data: [UInt8]) -> Data {
        let tuple = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(tuple), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8) + data
        return Data(bytes)
    }

    /// The JSON object of one line, parsed by Foundation.
    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// The number of `"key": value` in a JSON line, parsed by Swift exactly as printed (Foundation's
    /// parser may land 1 ulp away from Swift's shortest round-trip form).
    static func number(_ key: String, in line: String) throws -> Double {
        let start = try #require(line.range(of: "\"\(key)\": "))
        let text = line[start.upperBound...].prefix { !",}]".contains($0) }
        return try #require(Double(text))
    }

    /// A deterministic pattern in [0, 1).
    static func pattern<Scalar: BinaryFloatingPoint>(_ shape: [Int], _ a: Int, _ m: Int) throws -> Tensor<Scalar> {
        let count = shape.reduce(1, *)
        return try Tensor(shape: shape, scalars: (0..<count).map { Scalar(($0 * a) % m) / Scalar(m) })
    }

    /// The mean of a map added in order: what the command prints for volumes, video frames and
    /// the MS-SSIM + L1 loss map.
    static func meanSSIM<Scalar: SSIMScalar>(_ map: Tensor<Scalar>) -> Double {
        map.scalars.reduce(0.0) { $0 + Double($1) } / Double(map.scalars.count)
    }

    /// The mean SSIM the command prints for 2-D images without a mask: the library's one-pass
    /// summary (the map's elements added in the kernels' band order).
    static func meanSSIM<Scalar: SSIMScalar>(_ x: Tensor<Scalar>, _ y: Tensor<Scalar>, options: SSIMOptions = .kornia) throws -> Double {
        try ssimSummary(x, y, options: options).meanSSIM
    }

    /// Kornia's options with another window, range, eps or padding, as the command builds them.
    static func kornia(windowSize: Int = 11, maxValue: Double = 1, eps: Double = 1e-12, padding: Padding = .same) -> SSIMOptions {
        var options = SSIMOptions.kornia
        (options.windowSize, options.dataRange, options.eps, options.padding) = (windowSize, .value(maxValue), eps, padding)
        return options
    }
}
