// libFuzzer target: YUV4MPEGReader on .y4m bytes (the header parser and the frame reader), then
// FFmpegSSIM (Sources/ssim/FFmpegSSIM.swift, compiled into this binary) on each frame's planes
// against the first frame's: integer sums and Float windows on any samples, any bit depth.
import SSIMFormats

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let reader = try YUV4MPEGReader(bytes: bytes, name: "x.y4m")
        let header = reader.header
        fuzzReport("header \(header.summary)")
        precondition(header.width * header.height <= YUV4MPEGHeader.maximumPixelCount && (8...16).contains(header.bitDepth))
        precondition(header.frameByteCount <= 6 * YUV4MPEGHeader.maximumPixelCount)
        var first: YUVFrame?
        var count = 0
        while count < 64, let frame = try reader.nextFrame() {
            count += 1
            // A frame: numbered in order, exactly the header's bytes, no more than the input held.
            precondition(frame.number == count && frame.bytes.count == header.frameByteCount && frame.bytes.count <= size)
            precondition(frame.header == header)
            let reference = first ?? frame
            first = reference
            for (index, plane) in header.planes.enumerated() {
                let values = frame.values(plane: index, as: Float.self)
                precondition(values.count == plane.width * plane.height && values.allSatisfy { $0 >= 0 && $0.isFinite })
                guard min(plane.width, plane.height) >= FFmpegSSIM.smallestPlane else { continue }
                let s = frame.withPlane(index) { a in
                    reference.withPlane(index) { b in
                        FFmpegSSIM.plane(a, b, width: plane.width, height: plane.height, bitDepth: header.bitDepth)
                    }
                }
                // Samples within the depth give SSIM in [-1, 1]; beyond it (16-bit words with bits
                // above the depth) anything finite or not, but no trap.
                fuzzReport("frame \(count) plane \(index): \(s)")
                if header.bitDepth == 8 || header.bitDepth == 16 { precondition(s.isNaN || abs(s) <= 1 + 1e-6, "SSIM \(s)") }
            }
        }
        fuzzReport("\(count) frames")
    } catch let error as FormatError {
        fuzzReport("FormatError: \(error)")
    } catch {
        fatalError("YUV4MPEGReader threw \(type(of: error)), not a FormatError: \(error)")
    }
    return 0
}
