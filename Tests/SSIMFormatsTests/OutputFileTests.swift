import Foundation
import Testing
@testable import SSIMFormats

@Suite struct OutputFileTests {
    @Test func writesAndReplacesLeavingNoTemporaryFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("out.bin")
        try OutputFile.write([1, 2, 3], to: path)
        try OutputFile.write([4, 5], to: path)
        #expect(try readFile(path) == [4, 5])
        try OutputFile.write([], to: directory.file("empty"))
        #expect(try readFile(directory.file("empty")) == [])
        #expect(directory.contents == ["empty", "out.bin"])
    }

    @Test func refusesEveryNameOfAnInput() throws {
        let directory = try TemporaryDirectory()
        let input = directory.file("a.png")
        try OutputFile.write([7], to: input)
        try FileManager.default.createSymbolicLink(atPath: directory.file("link.png"), withDestinationPath: input)
        try FileManager.default.linkItem(atPath: input, toPath: directory.file("hard.png"))
        let aliases = [
            input, directory.path + "/./a.png", directory.path + "/sub/../a.png",
            directory.file("link.png"), directory.file("hard.png"),
        ]
        for alias in aliases {
            #expect(formatError { try OutputFile.write([0], to: alias, inputs: ["x", input]) } == .outputIsInput(path: alias))
        }
        #expect(try readFile(input) == [7])
        // Neither exists: compared as normalised paths.
        #expect(throws: FormatError.outputIsInput(path: "new/../b.png")) {
            try OutputFile.checkNotAnInput("new/../b.png", inputs: ["./b.png"])
        }
        try OutputFile.checkNotAnInput(directory.file("other.png"), inputs: [input])
    }

    @Test func failuresLeaveNothingBehind() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.file("no/such/dir/out.png")
        guard case .outputNotWritable(missing, _)? = formatError({ try OutputFile.write([1], to: missing) }) else {
            Issue.record("writing into a missing directory did not throw outputNotWritable")
            return
        }
        try FileManager.default.createDirectory(atPath: directory.file("taken"), withIntermediateDirectories: false)
        guard case .outputNotWritable? = formatError({ try OutputFile.write([1], to: directory.file("taken")) }) else {
            Issue.record("writing over a directory did not throw outputNotWritable")
            return
        }
        #expect(
            formatError { try OutputFile.write([1], to: directory.path + "/") }
                == .outputNotWritable(path: directory.path + "/", reason: "the path names a directory, not a file"))
        #expect(directory.contents == ["taken"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("taken")).isEmpty)
    }
}
