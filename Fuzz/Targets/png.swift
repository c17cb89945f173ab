// libFuzzer target: ImageFile.decode on PNG bytes (libpng through CImageCodecs).
//
// libpng rejects a chunk whose CRC does not match, so most mutations would stop at the first
// checksum. Each input is therefore decoded twice: as is (the CRC check itself), and with the
// CRC of every complete chunk recomputed, so that mutated chunk contents reach the decoder.
import SSIMFormats

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    checkImageDecode(bytes, name: "x.png")
    let fixed = withChunkCRCsFixed(bytes)
    if fixed != bytes { checkImageDecode(fixed, name: "x.png") }
    return 0
}

/// `bytes` with the CRC of each complete chunk after the 8-byte signature recomputed.
private func withChunkCRCsFixed(_ bytes: [UInt8]) -> [UInt8] {
    var bytes = bytes
    var offset = 8
    while offset + 12 <= bytes.count {
        let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        guard length <= bytes.count - offset - 12 else { break }
        let crc = crc32(bytes[(offset + 4)..<(offset + 8 + length)])
        let end = offset + 8 + length
        for i in 0..<4 { bytes[end + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(i))) }
        offset = end + 4
    }
    return bytes
}

private let crcTable: [UInt32] = (0..<256).map { (n: UInt32) -> UInt32 in
    var c = n
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
}

/// The CRC-32 of PNG chunks (ISO 3309, as zlib's crc32).
private func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
}
