/* PNG (libpng) and JPEG (libjpeg-turbo, libexif for the orientation) decoding and encoding. */
#include "CImageCodecs.h"
#include "Support.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <jpeglib.h>
#include <jerror.h>
#include <libexif/exif-data.h>

#define copy_message cic_copy_message
#define host_is_little_endian cic_host_is_little_endian

/* MARK: - PNG */

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
    char *message;
} png_memory_source;

static void png_on_error(png_structp png, png_const_charp text) {
    png_memory_source *source = png_get_error_ptr(png);
    copy_message(source->message, text);
    png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void png_read_from_memory(png_structp png, png_bytep destination, size_t count) {
    png_memory_source *source = png_get_io_ptr(png);
    if (count > source->size - source->offset) {
        png_error(png, "the file ends early (truncated PNG)");
    }
    memcpy(destination, source->data + source->offset, count);
    source->offset += count;
}

/* Whether each chunk up to IEND fits in the bytes that follow its header. libpng 1.6 only warns
   ("chunk data is too large") about a chunk longer than its limit, then allocates and zeroes the
   declared length (up to 2 GB) before finding that the data ends early: a 49-byte file cost 2 GB
   (found by Scripts/fuzz.sh; the inputs are in Fuzz/Corpus/png/oom-*). */
static int png_chunks_fit(const unsigned char *data, size_t size) {
    size_t offset = 8;
    while (size - offset >= 12) {
        const size_t length = (size_t)data[offset] << 24 | (size_t)data[offset + 1] << 16
            | (size_t)data[offset + 2] << 8 | (size_t)data[offset + 3];
        if (length > size - offset - 12) return 0;
        if (memcmp(data + offset + 4, "IEND", 4) == 0) return 1;
        offset += 12 + length;
    }
    return 0;
}

int cic_png_decode(const unsigned char *data, size_t size, size_t max_pixels,
                   cic_image *image, char message[CIC_MESSAGE_CAPACITY]) {
    cic_begin(image, message);
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        copy_message(message, "missing PNG signature");
        return CIC_DECODE_ERROR;
    }
    if (!png_chunks_fit(data, size)) {
        copy_message(message, "the file ends early (truncated PNG)");
        return CIC_DECODE_ERROR;
    }
    png_memory_source source = {data, size, 0, message};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, png_on_error, png_on_warning);
    if (!png) return CIC_NO_MEMORY;
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return CIC_NO_MEMORY;
    }
    unsigned char *volatile samples = NULL;
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(samples);
        free(rows);
        cic_release(image);
        png_destroy_read_struct(&png, &info, NULL);
        return CIC_DECODE_ERROR;
    }
    png_set_read_fn(png, &source, png_read_from_memory);
#if defined(PNG_SET_OPTION_SUPPORTED) && defined(PNG_IGNORE_ADLER32)
    /* zlib's Adler-32 of the inflated rows is not computed (as Chromium's decoder does): each
       IDAT chunk's CRC, which libpng still checks, covers the same bytes as stored. Adler-32 was
       3 % of the command's time on a folder of 512 x 512 PNGs. */
    png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
    png_read_info(png, info);

    const int color_type = png_get_color_type(png, info);
    const int has_alpha = (color_type & PNG_COLOR_MASK_ALPHA) || png_get_valid(png, info, PNG_INFO_tRNS);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8) png_set_expand_gray_1_2_4_to_8(png);
    /* tRNS becomes an alpha channel: 0 for the transparent grey or RGB value, palette alphas. */
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    png_charp icc_name = NULL;
    png_bytep icc_profile = NULL;
    png_uint_32 icc_length = 0;
    int icc_compression = 0;
    if (png_get_iCCP(png, info, &icc_name, &icc_compression, &icc_profile, &icc_length) && icc_length > 0) {
        image->icc = cic_copy_bytes(icc_profile, icc_length);
        image->icc_size = image->icc ? icc_length : 0;
    }
    if (png_get_bit_depth(png, info) == 16 && host_is_little_endian()) png_set_swap(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    const size_t width = png_get_image_width(png, info);
    const size_t height = png_get_image_height(png, info);
    const size_t read_channels = png_get_channels(png, info);  /* 1 to 4, alpha last */
    const size_t bytes_per_sample = png_get_bit_depth(png, info) == 16 ? 2 : 1;
    const size_t row_bytes = png_get_rowbytes(png, info);
    image->width = (int)width;
    image->height = (int)height;
    const int sized = cic_check_size(width, height, size, 16384, max_pixels, message);
    if (sized != CIC_OK || row_bytes != width * read_channels * bytes_per_sample) {
        cic_release(image);
        image->width = (int)width;
        image->height = (int)height;
        png_destroy_read_struct(&png, &info, NULL);
        return sized != CIC_OK ? sized : CIC_TOO_LARGE;
    }
    samples = malloc(row_bytes * height);
    rows = malloc(sizeof(png_bytep) * height);
    if (!samples || !rows) png_error(png, "out of memory");
    for (size_t y = 0; y < height; y++) rows[y] = samples + y * row_bytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);

    image->width = (int)width;
    image->height = (int)height;
    image->channels = (int)read_channels;
    image->bit_depth = (int)bytes_per_sample * 8;
    image->has_alpha = has_alpha ? 1 : 0;
    image->samples = samples;
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return CIC_OK;
}

/* The growing buffer a fast encode writes to, and where its error message goes. */
typedef struct {
    unsigned char *bytes;
    size_t count;
    size_t capacity;
    char *message;
} png_memory_sink;

static void png_sink_on_error(png_structp png, png_const_charp text) {
    png_memory_sink *sink = png_get_error_ptr(png);
    copy_message(sink->message, text);
    png_longjmp(png, 1);
}

static void png_write_to_memory(png_structp png, png_bytep data, size_t count) {
    png_memory_sink *sink = png_get_io_ptr(png);
    if (count > sink->capacity - sink->count) {
        size_t capacity = sink->capacity ? sink->capacity : 1 << 16;
        while (count > capacity - sink->count) {
            if (capacity > SIZE_MAX / 2) png_error(png, "out of memory");
            capacity *= 2;
        }
        unsigned char *grown = realloc(sink->bytes, capacity);
        if (!grown) png_error(png, "out of memory");
        sink->bytes = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->bytes + sink->count, data, count);
    sink->count += count;
}

static void png_flush_memory(png_structp png) { (void)png; }

/* The fast encode: no row filter, zlib level 1, through libpng's full interface (its simplified
   one offers level 3 at the fastest). Measured on a 616 x 512 heat-map: 8.2 ms and 315,748
   bytes, against 99.7 ms and 267,940 for the default (adaptive filters at level 6, which search
   long matches in the heat-map's repeated colours) and 18.7 ms and 260,944 for libpng's
   PNG_IMAGE_FLAG_FAST. The rows are handed in as they come (cic_png_writer_rows), so a caller
   can draw the next rows while these are deflated. */
struct cic_png_writer {
    png_structp png;
    png_infop info;
    png_memory_sink sink;
    size_t row_bytes;
};

void cic_png_writer_destroy(cic_png_writer *writer) {
    if (!writer) return;
    png_destroy_write_struct(&writer->png, &writer->info);
    free(writer->sink.bytes);
    free(writer);
}

cic_png_writer *cic_png_writer_create(int width, int height, int channels, char message[CIC_MESSAGE_CAPACITY]) {
    copy_message(message, "");
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3)) {
        copy_message(message, "a PNG needs a positive width and height and 1 or 3 channels");
        return NULL;
    }
    cic_png_writer *writer = calloc(1, sizeof *writer);
    if (!writer) {
        copy_message(message, "out of memory");
        return NULL;
    }
    writer->sink.message = message;
    writer->row_bytes = (size_t)width * (size_t)channels;
    writer->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &writer->sink, png_sink_on_error, png_on_warning);
    if (writer->png) writer->info = png_create_info_struct(writer->png);
    if (!writer->png || !writer->info) {
        copy_message(message, "out of memory");
        cic_png_writer_destroy(writer);
        return NULL;
    }
    if (setjmp(png_jmpbuf(writer->png))) {
        cic_png_writer_destroy(writer);
        return NULL;
    }
    png_set_write_fn(writer->png, &writer->sink, png_write_to_memory, png_flush_memory);
    png_set_IHDR(writer->png, writer->info, (png_uint_32)width, (png_uint_32)height, 8,
                 channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_filter(writer->png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_level(writer->png, 1);
    png_write_info(writer->png, writer->info);
    return writer;
}

int cic_png_writer_rows(cic_png_writer *writer, const unsigned char *rows, int count,
                        char message[CIC_MESSAGE_CAPACITY]) {
    writer->sink.message = message;
    if (setjmp(png_jmpbuf(writer->png))) return CIC_DECODE_ERROR;
    for (int y = 0; y < count; y++) png_write_row(writer->png, rows + (size_t)y * writer->row_bytes);
    return CIC_OK;
}

int cic_png_writer_finish(cic_png_writer *writer, cic_buffer *output, char message[CIC_MESSAGE_CAPACITY]) {
    output->bytes = NULL;
    output->count = 0;
    writer->sink.message = message;
    if (setjmp(png_jmpbuf(writer->png))) return CIC_DECODE_ERROR;
    png_write_end(writer->png, writer->info);
    unsigned char *fitted = realloc(writer->sink.bytes, writer->sink.count);
    output->bytes = fitted ? fitted : writer->sink.bytes;
    output->count = writer->sink.count;
    writer->sink.bytes = NULL;
    return CIC_OK;
}

/* The fast encode of a whole image at once. */
static int png_encode_fast(const unsigned char *samples, int width, int height, int channels,
                           cic_buffer *output, char message[CIC_MESSAGE_CAPACITY]) {
    cic_png_writer *writer = cic_png_writer_create(width, height, channels, message);
    if (!writer) return CIC_NO_MEMORY;
    int status = cic_png_writer_rows(writer, samples, height, message);
    if (status == CIC_OK) status = cic_png_writer_finish(writer, output, message);
    cic_png_writer_destroy(writer);
    return status;
}

int cic_png_encode(const unsigned char *samples, int width, int height, int channels, int fast,
                   cic_buffer *output, char message[CIC_MESSAGE_CAPACITY]) {
    output->bytes = NULL;
    output->count = 0;
    copy_message(message, "");
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3)) {
        copy_message(message, "a PNG needs a positive width and height and 1 or 3 channels");
        return CIC_BAD_ARGUMENT;
    }
    if (fast) return png_encode_fast(samples, width, height, channels, output, message);
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = (png_uint_32)width;
    image.height = (png_uint_32)height;
    image.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
    /* One deflate into a buffer of libpng's upper bound for this image, not a first pass with a
       NULL buffer to learn the size and a second to write: that compressed everything twice. */
    png_alloc_size_t capacity = PNG_IMAGE_PNG_SIZE_MAX(image), size = capacity;
    unsigned char *bytes = malloc(capacity);
    if (!bytes) return CIC_NO_MEMORY;
    if (!png_image_write_to_memory(&image, bytes, &size, 0, samples, 0, NULL)) {
        copy_message(message, image.message);
        free(bytes);
        return CIC_DECODE_ERROR;
    }
    unsigned char *fitted = realloc(bytes, size);
    output->bytes = fitted ? fitted : bytes;
    output->count = size;
    return CIC_OK;
}

/* MARK: - JPEG */

typedef struct {
    struct jpeg_error_mgr manager;  /* first, so a j_common_ptr's err points at the whole struct */
    jmp_buf jump;
    char *message;
} jpeg_failure;

static void jpeg_on_error(j_common_ptr codec) {
    jpeg_failure *failure = (jpeg_failure *)codec->err;
    char text[JMSG_LENGTH_MAX];
    (*codec->err->format_message)(codec, text);
    copy_message(failure->message, text);
    longjmp(failure->jump, 1);
}

/* Warnings that mean the data is corrupt or truncated are errors; other messages are dropped. */
static void jpeg_on_message(j_common_ptr codec, int level) {
    if (level >= 0) return;
    switch (codec->err->msg_code) {
    case JWRN_JPEG_EOF: case JWRN_HIT_MARKER: case JWRN_HUFF_BAD_CODE: case JWRN_MUST_RESYNC:
    case JWRN_NOT_SEQUENTIAL: case JWRN_EXTRANEOUS_DATA: case JWRN_BOGUS_PROGRESSION:
        jpeg_on_error(codec);
        break;
    default:
        break;
    }
}

static void jpeg_install_failure(jpeg_failure *failure, char *message) {
    jpeg_std_error(&failure->manager);
    failure->manager.error_exit = jpeg_on_error;
    failure->manager.emit_message = jpeg_on_message;
    failure->message = message;
}

/* The orientation tag (1...8) of an APP1 Exif marker's data (libexif), or 1. */
static int exif_orientation(const unsigned char *data, unsigned int length) {
    ExifData *exif = exif_data_new_from_data(data, length);
    if (!exif) return 1;
    int orientation = 1;
    ExifEntry *entry = exif_data_get_entry(exif, EXIF_TAG_ORIENTATION);
    if (entry && entry->format == EXIF_FORMAT_SHORT && entry->components == 1 && entry->size >= 2) {
        const int value = exif_get_short(entry->data, exif_data_get_byte_order(exif));
        if (value >= 1 && value <= 8) orientation = value;
    }
    exif_data_unref(exif);
    return orientation;
}

int cic_jpeg_decode(const unsigned char *data, size_t size, size_t max_pixels,
                    cic_image *image, char message[CIC_MESSAGE_CAPACITY]) {
    cic_begin(image, message);
    struct jpeg_decompress_struct codec;
    jpeg_failure failure;
    jpeg_install_failure(&failure, message);
    codec.err = &failure.manager;
    unsigned char *volatile samples = NULL;
    if (setjmp(failure.jump)) {
        free(samples);
        cic_release(image);
        jpeg_destroy_decompress(&codec);
        return CIC_DECODE_ERROR;
    }
    jpeg_create_decompress(&codec);
    jpeg_mem_src(&codec, data, (unsigned long)size);
    /* Keep APP1 (Exif) and APP2 (ICC, read by jpeg_read_icc_profile) markers. */
    jpeg_save_markers(&codec, JPEG_APP0 + 1, 0xFFFF);
    jpeg_save_markers(&codec, JPEG_APP0 + 2, 0xFFFF);
    jpeg_read_header(&codec, TRUE);
    for (jpeg_saved_marker_ptr marker = codec.marker_list; marker; marker = marker->next) {
        if (marker->marker == JPEG_APP0 + 1 && marker->data_length > 6 && memcmp(marker->data, "Exif\0\0", 6) == 0) {
            image->orientation = exif_orientation(marker->data, marker->data_length);
            break;
        }
    }
    JOCTET *icc = NULL;
    unsigned int icc_length = 0;
    if (jpeg_read_icc_profile(&codec, &icc, &icc_length) && icc && icc_length > 0) {
        image->icc = icc;  /* allocated with malloc by libjpeg-turbo */
        image->icc_size = icc_length;
    } else {
        free(icc);
    }
    codec.out_color_space = codec.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_calc_output_dimensions(&codec);
    const size_t width = codec.output_width, height = codec.output_height;
    const size_t channels = (size_t)codec.out_color_components;
    const int sized = cic_check_size(width, height, size, 16384, max_pixels, message);
    if (sized != CIC_OK) {
        cic_release(image);
        image->width = (int)width;
        image->height = (int)height;
        jpeg_destroy_decompress(&codec);
        return sized;
    }
    samples = malloc(width * height * channels);
    if (!samples) {
        cic_release(image);
        jpeg_destroy_decompress(&codec);
        return CIC_NO_MEMORY;
    }
    jpeg_start_decompress(&codec);
    while (codec.output_scanline < codec.output_height) {
        JSAMPROW row = samples + (size_t)codec.output_scanline * width * channels;
        jpeg_read_scanlines(&codec, &row, 1);
    }
    jpeg_finish_decompress(&codec);
    jpeg_destroy_decompress(&codec);
    image->width = (int)width;
    image->height = (int)height;
    image->channels = (int)channels;
    image->bit_depth = 8;
    image->has_alpha = 0;
    image->samples = samples;
    return CIC_OK;
}

int cic_jpeg_encode(const unsigned char *samples, int width, int height, int channels, int quality,
                    cic_buffer *output, char message[CIC_MESSAGE_CAPACITY]) {
    output->bytes = NULL;
    output->count = 0;
    copy_message(message, "");
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3) || quality < 1 || quality > 100) {
        copy_message(message, "a JPEG needs a positive width and height, 1 or 3 channels and a quality in 1...100");
        return CIC_BAD_ARGUMENT;
    }
    struct jpeg_compress_struct codec;
    jpeg_failure failure;
    jpeg_install_failure(&failure, message);
    codec.err = &failure.manager;
    unsigned char *bytes = NULL;  /* grown with malloc by libjpeg; ours to free */
    unsigned long count = 0;
    if (setjmp(failure.jump)) {
        jpeg_destroy_compress(&codec);
        free(bytes);
        return CIC_DECODE_ERROR;
    }
    jpeg_create_compress(&codec);
    jpeg_mem_dest(&codec, &bytes, &count);
    codec.image_width = (JDIMENSION)width;
    codec.image_height = (JDIMENSION)height;
    codec.input_components = channels;
    codec.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&codec);
    jpeg_set_quality(&codec, quality, TRUE);
    jpeg_start_compress(&codec, TRUE);
    while (codec.next_scanline < codec.image_height) {
        JSAMPROW row = (JSAMPROW)(samples + (size_t)codec.next_scanline * (size_t)width * (size_t)channels);
        jpeg_write_scanlines(&codec, &row, 1);
    }
    jpeg_finish_compress(&codec);
    jpeg_destroy_compress(&codec);
    output->bytes = bytes;
    output->count = count;
    return CIC_OK;
}
