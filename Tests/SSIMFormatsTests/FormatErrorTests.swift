import Testing
import SSIMFormats

@Suite struct FormatErrorTests {
    static let errors: [FormatError] = [
        .fileNotFound(path: "p.png"),
        .unreadableFile(path: "p.png", reason: "Permission denied"),
        .unrecognizedFormat(path: "p.png"),
        .contentMismatch(path: "p.png", content: .npy),
        .corruptImage(path: "p.png", format: .png, message: "IDAT: CRC error"),
        .imageTooLarge(path: "p.png", width: 20000, height: 20000, limit: 100_000_000),
        .corruptNumPy(path: "p.png", reason: "it does not start with the magic string"),
        .truncatedNumPy(path: "p.png", expectedBytes: 176, actualBytes: 100),
        .unsupportedNumPyDType(path: "p.png", dtype: "<i8"),
        .unsupportedNumPyRank(path: "p.png", shape: [3]),
        .numPyFortranOrder(path: "p.png"),
        .numPyBigEndian(path: "p.png", dtype: ">f4"),
        .unknownExtension(path: "p.png"),
        .outputIsInput(path: "p.png"),
        .outputNotWritable(path: "p.png", reason: "No such file or directory"),
        .corruptYUV4MPEG(path: "p.png", reason: "it does not start with the magic string YUV4MPEG2"),
        .unsupportedYUV4MPEG(path: "p.png", reason: "its colour space 'C411' is not one of ..."),
        .truncatedYUV4MPEG(path: "p.png", frame: 3, expectedBytes: 4608, actualBytes: 100),
    ]

    @Test(arguments: errors)
    func messagesNameTheFileAndSayWhatToDo(error: FormatError) {
        #expect(error.description.contains("'p.png'"))
        #expect(error.description.contains(";"), "the message has a second part saying what to do")
    }

    @Test func messagesCarryTheDetails() {
        #expect(
            FormatError.corruptImage(path: "a.jpg", format: .jpeg, message: "Premature end of JPEG file").description
                .contains("libjpeg: Premature end of JPEG file"))
        #expect(FormatError.unsupportedNumPyDType(path: "x", dtype: "<i8").description.contains("'<f4' (float32)"))
        #expect(FormatError.unsupportedNumPyRank(path: "x", shape: [3]).description.contains("shape (3,) (rank 1)"))
        #expect(FormatError.invalidJPEGQuality(0).description.contains("1 (smallest file) to 100"))
        #expect(FormatError.invalidImageShape([2, 3], expected: "(1, C, H, W)").description.contains("[2, 3]"))
        #expect(FormatError.encodingFailed(format: .png, message: "boom").description.contains("PNG failed: boom"))
    }
}
