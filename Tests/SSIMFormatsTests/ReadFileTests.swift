import Testing
@testable import SSIMFormats

@Suite struct ReadFileTests {
    @Test func readsWholeFilesAndNamesFailures() throws {
        let directory = try TemporaryDirectory()
        let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try OutputFile.write(bytes, to: directory.file("big"))
        #expect(try readFile(directory.file("big")) == bytes)
        #expect(formatError { _ = try readFile(directory.file("none")) } == .fileNotFound(path: directory.file("none")))
        #expect(formatError { _ = try readFile(directory.file("none/x")) } == .fileNotFound(path: directory.file("none/x")))
        #expect(formatError { _ = try readFile("") } == .fileNotFound(path: ""))
        #expect(
            formatError { _ = try readFile(directory.path) }
                == .unreadableFile(path: directory.path, reason: "it is a directory"))
    }
}
