// libFuzzer target: ImageFile.decode on JPEG bytes (libjpeg-turbo through CImageCodecs).
import SSIMFormats

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    checkImageDecode(Array(UnsafeBufferPointer(start: data, count: size)), name: "x.jpg")
    return 0
}
