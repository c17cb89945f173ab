// libFuzzer target: ImageFile.decode on WebP, AVIF, TIFF, GIF, BMP and PNM bytes (libwebp,
// libavif, libtiff, giflib, GraphicsMagick through CImageCodecs), one target for the six so
// that CI runs them in one time slot. The reader is chosen by content, as for any file; the
// seeds (Fuzz/Corpus/images) hold each format, and mutations that change the magic number
// move an input to another reader. Each decode also converts an embedded ICC profile (LittleCMS)
// and applies the orientation, as the command does.
import SSIMFormats

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    checkImageDecode(Array(UnsafeBufferPointer(start: data, count: size)), name: "x.image")
    return 0
}
