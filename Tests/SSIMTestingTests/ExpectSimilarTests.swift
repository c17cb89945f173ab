import Foundation
import SSIMFormats
@testable import SSIMTesting
import StructuralSimilarity
import Testing

/// `expectSimilar` against the committed references of `__References__/ExpectSimilarTests/`:
/// every input kind passes, a broken picture fails with one issue and four pictures, a missing
/// reference is recorded, and what cannot be compared throws.
@Suite struct ExpectSimilarTests {
    static let committed = ReferenceRecording.folder(forTestFile: #filePath)

    enum Kind: String, CaseIterable, Sendable { case png, jpeg, file, tensorCHW, tensorBCHW, rgba }

    @Test("every input kind passes against the committed reference", arguments: Kind.allCases)
    func inputKindsPass(kind: Kind) throws {
        let picture = try TestPictures.picture()
        var criteria = SimilarityCriteria()
        let report: SimilarityReport
        switch kind {
        case .png:
            report = try expectSimilar(try TestPictures.png(picture), toReference: "picture")
        case .jpeg:
            // JPEG's blocks and chroma subsampling: a looser bar.
            criteria.minimumSSIM = 0.9
            criteria.maximumDifferingFraction = 0.5
            let jpeg = Data(try ImageFile.encodeJPEG(picture, quality: 95))
            report = try expectSimilar(jpeg, toReference: "picture", criteria: criteria)
            #expect(report.measurement!.meanSSIM < 1)
        case .file:
            let folder = try TestPictures.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let url = folder.appendingPathComponent("frame.png")
            try TestPictures.png(picture).write(to: url)
            report = try expectSimilar(url, toReference: "picture")
        case .tensorCHW:
            report = try expectSimilar(try Tensor(shape: [3, 40, 48], scalars: picture.scalars), toReference: "picture")
        case .tensorBCHW:
            report = try expectSimilar(picture, toReference: "picture")
        case .rgba:
            report = try expectSimilar(
                rgba: TestPictures.rgba(picture), width: TestPictures.width, height: TestPictures.height,
                toReference: "picture")
        }
        #expect(report.outcome == .passed)
        #expect(report.attachments.isEmpty && report.message.isEmpty)
        #expect(report.referencePath == Self.committed.appendingPathComponent("picture.png").path)
        if kind != .jpeg { #expect(report.measurement!.meanSSIM > 0.9999) }
    }

    @Test("a grey reference and a grey image of the same picture pass")
    func greyPasses() throws {
        let picture = try TestPictures.picture()
        let grey = try Tensor(shape: [1, 1, 40, 48], scalars: Array(picture.scalars[(40 * 48)..<(2 * 40 * 48)]))
        let report = try expectSimilar(grey, toReference: "grey")
        #expect(report.outcome == .passed)
        // The grey reference against a colour image whose three channels are that grey: repeated, equal.
        let rgb = try Tensor(shape: [1, 3, 40, 48], scalars: grey.scalars + grey.scalars + grey.scalars)
        #expect(try expectSimilar(rgb, toReference: "grey").measurement!.meanSSIM > 0.9999)
    }

    @Test("a broken picture fails: one issue saying what was required and measured")
    func brokenPictureRecordsOneIssue() throws {
        let broken = try TestPictures.png(TestPictures.picture(broken: true))
        var report: SimilarityReport?
        try withKnownIssue {
            report = try expectSimilar(broken, toReference: "picture", minimumSSIM: 0.99)
        } matching: { issue in
            let text = issue.comments.map(\.rawValue).joined()
            return text.contains("is not similar enough to its reference")
                && text.contains("required: mean SSIM >= 0.99") && text.contains("measured: mean SSIM")
                && text.contains("worst window: SSIM") && text.contains("p1 ") && text.contains("p50 ")
                && text.contains("PSNR") && text.contains("picture.diff.png")
        }
        let r = try #require(report)
        #expect(r.outcome == .failed)
        let m = try #require(r.measurement)
        #expect(m.meanSSIM < 0.99)
        // The worst window is in the blackened block (x 30..<36, y 4..<10), or within the window's reach.
        #expect((25...40).contains(m.statistics.worst.x) && (0...15).contains(m.statistics.worst.y))
        #expect(m.statistics.minimum <= m.statistics.p1 && m.statistics.p1 <= m.statistics.p5 && m.statistics.p5 <= m.statistics.p50)
        #expect(m.regions.count == 1)
        #expect(r.message.contains("x \(m.statistics.worst.x), y \(m.statistics.worst.y)"))
    }

    @Test("the failure's four attachments: actual, reference, heat-map with colour bar, overlay")
    func failureAttachments() throws {
        let actual = try TestPictures.picture(broken: true)
        let report = try compareWithReference(.tensor(actual), named: "picture", in: Self.committed, recording: false)
        try #require(
            report.attachments.map(\.name)
                == ["picture.actual.png", "picture.reference.png", "picture.ssim-map.png", "picture.diff.png"])
        let images = try report.attachments.map { try ImageFile.decode($0.png, name: $0.name) }
        #expect(images[0].tensor == (try ImageFile.decode(try ImageFile.encodePNG(actual))).tensor)
        #expect(
            report.attachments[1].png
                == Array(try Data(contentsOf: Self.committed.appendingPathComponent("picture.png"))))
        // The heat-map: the map enlarged to 48 rows at least, and the colour bar on its right.
        #expect(images[2].height >= 48 && images[2].width > images[2].height * 48 / 40)
        // The overlay: the reference's size; red inside the broken block, pale grey far from it.
        #expect(images[3].width == 48 && images[3].height == 40)
        let overlay = images[3].tensor, plane = 48 * 40
        func rgb(_ x: Int, _ y: Int) -> (Float, Float, Float) {
            let p = y * 48 + x
            return (overlay.scalars[p], overlay.scalars[plane + p], overlay.scalars[2 * plane + p])
        }
        let inside = rgb(33, 7), far = rgb(2, 38)
        #expect(inside.0 > inside.1 + 0.2 && inside.0 > inside.2 + 0.2)
        #expect(far.0 > 0.6 && abs(far.0 - far.1) < 0.02 && abs(far.1 - far.2) < 0.02)
    }

    @Test("the local criterion fails a small block that the mean lets through")
    func localCriterionCatchesASmallRegion() throws {
        let folder = try TestPictures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try compareWithReference(
            .tensor(try TestPictures.picture(width: 128, height: 96)), named: "large", in: folder, recording: true)
        let changed = TestImage.tensor(try TestPictures.picture(smallBlock: true, width: 128, height: 96))
        let report = try compareWithReference(changed, named: "large", in: folder, recording: false)
        let m = try #require(report.measurement)
        #expect(m.meanSSIM >= SimilarityCriteria().minimumSSIM)
        #expect(m.differingFraction > SimilarityCriteria().maximumDifferingFraction)
        #expect(report.outcome == .failed)
        #expect(report.message.contains("(too much)") && !report.message.contains("(too low)"))
        #expect(m.regions.count == 1 && (96...106).contains(m.regions[0].worstX) && (56...66).contains(m.regions[0].worstY))
        // Without the local criterion it passes.
        let lenient = SimilarityCriteria(maximumDifferingFraction: 1)
        #expect(try compareWithReference(changed, named: "large", in: folder, criteria: lenient, recording: false).passed)
    }

    @Test("a missing reference is recorded and the test fails saying so; the next run passes")
    func missingReferenceIsRecorded() throws {
        let folder = try TestPictures.temporaryFolder().appendingPathComponent("new")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let png = try TestPictures.png(TestPictures.picture())
        try withKnownIssue {
            let report = try expectSimilar(png, toReference: "chart", referenceFolder: folder)
            #expect(report.outcome == .recorded)
        } matching: { issue in
            issue.comments.map(\.rawValue).joined().contains("Recorded the reference '\(folder.path)/chart.png' (it did not exist)")
        }
        #expect(try Data(contentsOf: folder.appendingPathComponent("chart.png")) == png)
        #expect(try expectSimilar(png, toReference: "chart", referenceFolder: folder).passed)
    }

    @Test("recording overwrites a reference; a failing comparison never does")
    func recordingOverwritesOnlyWhenAsked() throws {
        let folder = try TestPictures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try TestPictures.png(TestPictures.picture())
        let broken = try TestPictures.png(TestPictures.picture(broken: true))
        _ = try compareWithReference(.encoded(original), named: "p", in: folder, recording: false)
        let failed = try compareWithReference(.encoded(broken), named: "p", in: folder, recording: false)
        #expect(failed.outcome == .failed)
        #expect(try Data(contentsOf: folder.appendingPathComponent("p.png")) == original)
        let recorded = try compareWithReference(.encoded(broken), named: "p", in: folder, recording: true)
        #expect(recorded.outcome == .recorded && recorded.message.contains("SSIM_RECORD_REFERENCES is set"))
        #expect(try Data(contentsOf: folder.appendingPathComponent("p.png")) == broken)
        #expect(
            ReferenceRecording.folder(forTestFile: "/src/Tests/AppTests/ChartTests.swift").path
                == "/src/Tests/AppTests/__References__/ChartTests")
    }

    @Test("what cannot be compared throws an error that says what to do")
    func errors() throws {
        let picture = try TestPictures.picture()
        let folder = try TestPictures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func error(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch let error as SSIMTestingError { return error.description } catch {
                return "not an SSIMTestingError: \(error)"
            }
        }
        // A reference of another size.
        let small = try Tensor<Float>(shape: [1, 3, 20, 24], repeating: 0.5)
        let size = error { _ = try compareWithReference(.tensor(small), named: "picture", in: Self.committed, recording: false) }
        #expect(
            size.contains("24 x 20 pixels but its reference") && size.contains("48 x 40")
                && size.contains("SSIM_RECORD_REFERENCES=1"))
        // An unreadable reference.
        try Data("not a png".utf8).write(to: folder.appendingPathComponent("bad.png"))
        let unreadable = error { _ = try compareWithReference(.tensor(picture), named: "bad", in: folder, recording: false) }
        #expect(unreadable.contains("cannot read the reference") && unreadable.contains("delete it and run the test again"))
        // Tensors of the wrong rank or channel count, bad pixel buffers, bytes that are no image.
        for shape in [[40, 48], [2, 3, 40, 48], [1, 4, 40, 48], [1, 1, 1, 3, 40]] {
            let count = shape.reduce(1, *)
            let t = try Tensor<Float>(shape: shape, scalars: [Float](repeating: 0, count: count))
            #expect(
                error { _ = try compareWithReference(.tensor(t), named: "x", in: folder, recording: false) }
                    .contains("is not an image: pass (C, H, W) or (1, C, H, W)"))
        }
        #expect(
            error { _ = try compareWithReference(.rgba([0, 0, 0], width: 1, height: 1), named: "x", in: folder) }
                .contains("3 bytes are not 1 x 1 RGBA pixels: pass width * height * 4 = 4 bytes"))
        #expect(
            error { _ = try compareWithReference(.encoded(Data("GIF89a".utf8)), named: "x", in: folder) }
                .contains("cannot read the image to test"))
        #expect(
            error { _ = try compareWithReference(.file(folder.appendingPathComponent("none.png")), named: "x", in: folder) }
                .contains("cannot read the image to test ('\(folder.path)/none.png')"))
        // Names and criteria.
        for name in ["", "a/b", ".hidden"] {
            #expect(error { _ = try compareWithReference(.tensor(picture), named: name, in: folder) }.contains("cannot name a reference"))
        }
        #expect(
            error {
                _ = try compareWithReference(.tensor(picture), named: "x", in: folder, criteria: SimilarityCriteria(minimumSSIM: 1.5))
            }.contains("can never be met"))
        #expect(
            error {
                _ = try compareWithReference(.tensor(picture), named: "x", in: folder, criteria: SimilarityCriteria(maximumDifferingFraction: 2))
            }.contains("is not a fraction"))
        // A picture too small for the window: the library's message, which says which window fits.
        let tiny = try Tensor<Float>(shape: [1, 1, 3, 3], repeating: 0.5)
        _ = try compareWithReference(.tensor(tiny), named: "tiny", in: folder)
        #expect(
            error { _ = try compareWithReference(.tensor(tiny), named: "tiny", in: folder, recording: false) }
                .contains("is too small for window size 11 with padding 'same'"))
    }

    @Test("the XCTest function fails with the same message and writes the pictures beside the references")
    func assertSimilarWritesFailurePictures() throws {
        let folder = try TestPictures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestPictures.png(TestPictures.picture()).write(to: folder.appendingPathComponent("picture.png"))
        var failures: [String] = []
        let report = try assertSimilar(
            .tensor(try TestPictures.picture(broken: true)), toReference: "picture", minimumSSIM: nil,
            criteria: SimilarityCriteria(), referenceFolder: folder, file: #filePath, line: #line, recording: false
        ) { message, _, _ in failures.append(message) }
        #expect(failures.count == 1)
        #expect(failures[0].hasPrefix(report.message) && failures[0].contains("pictures written to '\(folder.path)/__Failures__'"))
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("__Failures__").path).sorted()
        #expect(written == ["picture.actual.png", "picture.diff.png", "picture.reference.png", "picture.ssim-map.png"])
        for attachment in report.attachments {
            #expect(try Data(contentsOf: folder.appendingPathComponent("__Failures__/" + attachment.name)) == Data(attachment.png))
        }
        // Passing again removes them.
        _ = try assertSimilar(
            .tensor(try TestPictures.picture()), toReference: "picture", minimumSSIM: nil, criteria: SimilarityCriteria(),
            referenceFolder: folder, file: #filePath, line: #line, recording: false
        ) { message, _, _ in failures.append(message) }
        #expect(failures.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("__Failures__").path).isEmpty)
    }
}
