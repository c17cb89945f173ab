import CImageCodecs
import Dispatch

/// Writes an 8-bit RGB PNG whose rows are drawn while the rows above them are deflated: the
/// fast encode of ``ImageFile/encodePNG(_:)-(RGB8Image)`` (no row filter, zlib level 1, the same
/// bytes), fed band by band through libpng's `png_write_row` instead of from a whole image.
///
/// A task on Dispatch's global queue draws bands of rows into a few buffers in turn; the calling
/// thread deflates each band as soon as it is drawn, then hands its buffer back. The whole image never exists in
/// memory: at 4096 x 4096 a heat-map is 60 MB of pixels, whose first touch (the kernel zeroing
/// fresh pages) cost as much as their drawing. The file is written as ``OutputFile`` writes one,
/// straight from libpng's output buffer (no copy into an array).
enum PNGRowWriter {
    /// The bytes of a band of rows: enough to keep the calls few, small enough to stay in the
    /// caches between the drawing and the deflate.
    static let bandBytes = 256 * 1024
    /// How many bands may be drawn ahead of the deflate.
    static let bufferedBands = 4

    /// Writes the `width` x `height` RGB image whose rows `draw(rows, pixels)` paints (rows
    /// `rows`, top to bottom, `width * 3` bytes each from `pixels`) to `path`, atomically and
    /// never over one of `inputs`. `draw` is called on another thread, one band at a time, in order.
    ///
    /// - Throws: ``FormatError/invalidImageShape(_:expected:)`` for an empty image or a side of
    ///   2^31 or more, ``FormatError/encodingFailed(format:message:)``, and the errors of
    ///   ``OutputFile/write(_:to:inputs:)``.
    static func write(
        width: Int, height: Int, to path: String, inputs: [String],
        draw: @escaping @Sendable (Range<Int>, UnsafeMutablePointer<UInt8>) -> Void
    ) throws {
        guard width > 0, height > 0, let cWidth = Int32(exactly: width), let cHeight = Int32(exactly: height) else {
            throw FormatError.invalidImageShape([height, width, 3], expected: "at least 1 x 1 pixels, sides below 2^31")
        }
        try OutputFile.checkNotAnInput(path, inputs: inputs)
        var message = [CChar](repeating: 0, count: Int(CIC_MESSAGE_CAPACITY))
        guard let writer = cic_png_writer_create(cWidth, cHeight, 3, &message) else {
            throw FormatError.encodingFailed(format: .png, message: nullTerminatedText(message))
        }
        defer { cic_png_writer_destroy(writer) }

        let rowBytes = width * 3
        let bandRows = min(height, max(1, bandBytes / rowBytes))
        let bands = (height + bandRows - 1) / bandRows
        let pipeline = Pipeline(slots: min(bufferedBands, bands), bandRows: bandRows, rowBytes: rowBytes)
        defer { pipeline.buffer.deallocate() }
        let drawer = DispatchGroup()
        DispatchQueue.global().async(group: drawer) {
            for band in 0..<bands {
                pipeline.free.wait()
                draw(pipeline.rows(band, height: height), pipeline.slot(band))
                pipeline.drawn.signal()
            }
        }
        // Every band is waited for and handed back, also after a failure (libpng out of memory):
        // the drawer never has to be stopped, and each semaphore ends as it began.
        var status = Int32(CIC_OK)
        for band in 0..<bands {
            pipeline.drawn.wait()
            if Int(status) == CIC_OK {
                status = cic_png_writer_rows(writer, pipeline.slot(band), Int32(pipeline.rows(band, height: height).count), &message)
            }
            pipeline.free.signal()
        }
        drawer.wait()
        var output = cic_buffer()
        if Int(status) == CIC_OK { status = cic_png_writer_finish(writer, &output, &message) }
        defer { cic_free(output.bytes) }
        guard Int(status) == CIC_OK else { throw FormatError.encodingFailed(format: .png, message: nullTerminatedText(message)) }
        try OutputFile.write(parts: [UnsafeRawBufferPointer(start: output.bytes, count: output.count)], to: path, inputs: inputs)
    }

    /// The band buffers and the two semaphores that pass them between the drawing thread and
    /// the deflating one.
    private final class Pipeline: @unchecked Sendable {
        let buffer: UnsafeMutablePointer<UInt8>
        let slots: Int, bandRows: Int, rowBytes: Int
        /// Bands drawn and not yet deflated.
        let drawn = DispatchSemaphore(value: 0)
        /// Buffers free to draw into.
        let free: DispatchSemaphore

        init(slots: Int, bandRows: Int, rowBytes: Int) {
            (self.slots, self.bandRows, self.rowBytes) = (slots, bandRows, rowBytes)
            buffer = .allocate(capacity: slots * bandRows * rowBytes)
            free = DispatchSemaphore(value: slots)
        }

        /// The rows of band `band` of an image `height` rows high.
        func rows(_ band: Int, height: Int) -> Range<Int> { (band * bandRows)..<min(height, (band + 1) * bandRows) }

        /// The buffer of band `band`.
        func slot(_ band: Int) -> UnsafeMutablePointer<UInt8> { buffer + (band % slots) * bandRows * rowBytes }
    }
}
