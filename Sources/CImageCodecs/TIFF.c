/* The first directory of a TIFF through libtiff, from memory. Grey and RGB at 8, 16 and 32-bit
   float are read as stored (strips or tiles, contiguous or planar); the other photometrics and
   depths go through TIFFReadRGBAImageOriented at 8 bits. Premultiplied (associated) alpha is
   divided out, so that alpha is always straight. */
#include "CImageCodecs.h"
#include "Support.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tiffio.h>

typedef struct {
    const unsigned char *data;
    toff_t size;
    toff_t offset;
} tiff_memory_source;

static tmsize_t tiff_read(thandle_t handle, void *destination, tmsize_t count) {
    tiff_memory_source *source = (tiff_memory_source *)handle;
    if (count <= 0 || source->offset >= source->size) return 0;
    toff_t n = (toff_t)count < source->size - source->offset ? (toff_t)count : source->size - source->offset;
    memcpy(destination, source->data + source->offset, (size_t)n);
    source->offset += n;
    return (tmsize_t)n;
}

static tmsize_t tiff_write(thandle_t handle, void *data, tmsize_t count) {
    (void)handle;
    (void)data;
    (void)count;
    return -1;
}

static toff_t tiff_seek(thandle_t handle, toff_t offset, int whence) {
    tiff_memory_source *source = (tiff_memory_source *)handle;
    toff_t base = whence == SEEK_CUR ? source->offset : whence == SEEK_END ? source->size : 0;
    if (offset > UINT64_MAX - base) return (toff_t)-1;
    source->offset = base + offset;
    return source->offset;
}

static int tiff_close(thandle_t handle) {
    (void)handle;
    return 0;
}

static toff_t tiff_size(thandle_t handle) { return ((tiff_memory_source *)handle)->size; }

static int tiff_map(thandle_t handle, void **base, toff_t *size) {
    (void)handle;
    (void)base;
    (void)size;
    return 0;
}

static void tiff_unmap(thandle_t handle, void *base, toff_t size) {
    (void)handle;
    (void)base;
    (void)size;
}

/* Keeps libtiff's first error message; warnings are dropped. */
static int tiff_on_error(TIFF *tiff, void *user, const char *module, const char *format, va_list arguments) {
    (void)tiff;
    (void)module;
    char *message = user;
    if (message[0] == 0) vsnprintf(message, CIC_MESSAGE_CAPACITY, format, arguments);
    return 1;
}

static int tiff_on_warning(TIFF *tiff, void *user, const char *module, const char *format, va_list arguments) {
    (void)tiff;
    (void)user;
    (void)module;
    (void)format;
    (void)arguments;
    return 1;
}

static int tiff_failure(TIFF *tiff, cic_image *image, char *message, const char *text, int status) {
    if (message[0] == 0 || status == CIC_UNSUPPORTED) cic_copy_message(message, text);
    const int width = image->width, height = image->height;
    cic_release(image);
    image->width = width;
    image->height = height;
    if (tiff) TIFFClose(tiff);
    return status;
}

/* Reads grey or RGB (+ alpha) samples of 8, 16 or 32 bits as stored, into image->samples. */
static int read_native(TIFF *tiff, cic_image *image, size_t width, size_t height, size_t channels, size_t bytes,
                       int planar) {
    const size_t pixel = channels * bytes;
    unsigned char *samples = image->samples;
    const size_t planes = planar == PLANARCONFIG_SEPARATE ? channels : 1;
    const size_t sample_bytes = planar == PLANARCONFIG_SEPARATE ? bytes : pixel;  /* per pixel in one plane */
    if (TIFFIsTiled(tiff)) {
        uint32_t tile_width = 0, tile_height = 0;
        TIFFGetField(tiff, TIFFTAG_TILEWIDTH, &tile_width);
        TIFFGetField(tiff, TIFFTAG_TILELENGTH, &tile_height);
        const tmsize_t tile_size = TIFFTileSize(tiff);
        /* A tile is at most the image rounded up to 16 (found by Scripts/fuzz.sh: a 200-byte file
           whose tiles claimed 24 GB). */
        if (tile_width == 0 || tile_height == 0 || tile_size <= 0 || tile_width > ((width + 15) & ~(size_t)15)
            || tile_height > ((height + 15) & ~(size_t)15)
            || (uint64_t)tile_width * tile_height * sample_bytes > (uint64_t)tile_size) return 0;
        unsigned char *tile = malloc((size_t)tile_size);
        if (!tile) return 0;
        for (size_t plane = 0; plane < planes; plane++) {
            for (uint32_t y0 = 0; y0 < height; y0 += tile_height) {
                for (uint32_t x0 = 0; x0 < width; x0 += tile_width) {
                    if (TIFFReadTile(tiff, tile, x0, y0, 0, (uint16_t)plane) < 0) {
                        free(tile);
                        return 0;
                    }
                    for (uint32_t y = y0; y < y0 + tile_height && y < height; y++) {
                        for (uint32_t x = x0; x < x0 + tile_width && x < width; x++) {
                            const unsigned char *from = tile + ((size_t)(y - y0) * tile_width + (x - x0)) * sample_bytes;
                            unsigned char *to = samples + ((size_t)y * width + x) * pixel + plane * bytes;
                            memcpy(to, from, sample_bytes);
                        }
                    }
                }
            }
        }
        free(tile);
        return 1;
    }
    const tmsize_t line_size = TIFFScanlineSize(tiff);
    if (line_size <= 0 || (uint64_t)line_size < (uint64_t)width * sample_bytes) return 0;
    unsigned char *line = malloc((size_t)line_size);
    if (!line) return 0;
    for (size_t plane = 0; plane < planes; plane++) {
        for (uint32_t y = 0; y < height; y++) {
            if (TIFFReadScanline(tiff, line, y, (uint16_t)plane) < 0) {
                free(line);
                return 0;
            }
            unsigned char *row = samples + (size_t)y * width * pixel;
            if (planes == 1) {
                memcpy(row, line, width * pixel);
            } else {
                for (size_t x = 0; x < width; x++) memcpy(row + x * pixel + plane * bytes, line + x * bytes, bytes);
            }
        }
    }
    free(line);
    return 1;
}

/* Divides the colour samples of premultiplied (associated) alpha by the alpha, in place:
   c = floor(c * max / a) clamped to max for integers (as Pillow does), c / a for float; 0 where
   a is 0. */
static void unpremultiply(cic_image *image) {
    const size_t pixels = (size_t)image->width * (size_t)image->height, channels = (size_t)image->channels;
    for (size_t i = 0; i < pixels; i++) {
        if (image->bit_depth == 32) {
            float *p = (float *)image->samples + i * channels;
            const float a = p[channels - 1];
            for (size_t c = 0; c + 1 < channels; c++) p[c] = a > 0 ? p[c] / a : 0;
        } else if (image->bit_depth == 16) {
            uint16_t *p = (uint16_t *)image->samples + i * channels;
            const uint32_t a = p[channels - 1];
            for (size_t c = 0; c + 1 < channels; c++) {
                const uint32_t v = a ? p[c] * 65535u / a : 0;
                p[c] = (uint16_t)(v > 65535 ? 65535 : v);
            }
        } else {
            unsigned char *p = (unsigned char *)image->samples + i * channels;
            const unsigned a = p[channels - 1];
            for (size_t c = 0; c + 1 < channels; c++) {
                const unsigned v = a ? p[c] * 255u / a : 0;
                p[c] = (unsigned char)(v > 255 ? 255 : v);
            }
        }
    }
}

int cic_tiff_decode(const unsigned char *data, size_t size, size_t max_pixels,
                    cic_image *image, char message[CIC_MESSAGE_CAPACITY]) {
    cic_begin(image, message);
    tiff_memory_source source = {data, size, 0};
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (!options) return CIC_NO_MEMORY;
    TIFFOpenOptionsSetErrorHandlerExtR(options, tiff_on_error, message);
    TIFFOpenOptionsSetWarningHandlerExtR(options, tiff_on_warning, NULL);
    /* libtiff's own buffers (strips, tiles, tag arrays) stay below 256 MB each. */
    TIFFOpenOptionsSetMaxSingleMemAlloc(options, (tmsize_t)256 << 20);
    TIFF *tiff = TIFFClientOpenExt("<memory>", "rm", (thandle_t)&source, tiff_read, tiff_write, tiff_seek,
                                   tiff_close, tiff_size, tiff_map, tiff_unmap, options);
    TIFFOpenOptionsFree(options);
    if (!tiff) return tiff_failure(NULL, image, message, "not a readable TIFF", CIC_DECODE_ERROR);

    uint32_t width = 0, height = 0;
    uint16_t spp = 1, bps = 1, format = SAMPLEFORMAT_UINT, photometric = PHOTOMETRIC_MINISBLACK;
    uint16_t planar = PLANARCONFIG_CONTIG, compression = COMPRESSION_NONE, orientation = ORIENTATION_TOPLEFT;
    uint16_t extra_count = 0;
    uint16_t *extra = NULL;
    TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &width);
    TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &height);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_BITSPERSAMPLE, &bps);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLEFORMAT, &format);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_COMPRESSION, &compression);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_ORIENTATION, &orientation);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_EXTRASAMPLES, &extra_count, &extra);
    if (!TIFFGetField(tiff, TIFFTAG_PHOTOMETRIC, &photometric)) photometric = spp >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
    image->width = (int)width;
    image->height = (int)height;
    const int sized = cic_check_size(width, height, size, 0, max_pixels, message);
    if (sized != CIC_OK) {
        TIFFClose(tiff);
        return sized;
    }
    if (orientation >= 1 && orientation <= 8) image->orientation = orientation;
    uint32_t icc_length = 0;
    void *icc = NULL;
    if (TIFFGetField(tiff, TIFFTAG_ICCPROFILE, &icc_length, &icc) && icc && icc_length > 0) {
        image->icc = cic_copy_bytes(icc, icc_length);
        image->icc_size = image->icc ? icc_length : 0;
    }
    const size_t colours = photometric == PHOTOMETRIC_RGB ? 3 : 1;
    const int has_alpha = spp == colours + 1 && extra_count >= 1;
    /* Uncompressed samples are in the file: one that cannot hold them is refused unread. */
    if (compression == COMPRESSION_NONE && (uint64_t)width * height * spp * bps / 8 > (uint64_t)size) {
        return tiff_failure(tiff, image, message, "the file is smaller than its uncompressed samples (truncated TIFF)",
                            CIC_DECODE_ERROR);
    }
    /* No codec libtiff has expands one byte into more than 4096 bytes of samples in practice
       (Deflate at most 1032, PackBits 128): a header that claims more is refused unread. */
    if ((uint64_t)width * height * spp * (bps > 8 ? bps : 8) / 8 / 4096 > (uint64_t)size) {
        return tiff_failure(tiff, image, message, "the file is far smaller than its samples (truncated TIFF)",
                            CIC_DECODE_ERROR);
    }
    const int native = (photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_RGB)
        && (spp == colours || has_alpha)
        && ((format == SAMPLEFORMAT_UINT && (bps == 8 || bps == 16)) || (format == SAMPLEFORMAT_IEEEFP && bps == 32));
    if (native) {
        const size_t bytes = bps / 8;
        image->samples = malloc((size_t)width * height * spp * bytes);
        if (!image->samples) return tiff_failure(tiff, image, message, "out of memory", CIC_NO_MEMORY);
        if (!read_native(tiff, image, width, height, spp, bytes, planar)) {
            return tiff_failure(tiff, image, message, "the samples cannot be read (corrupt or truncated TIFF)",
                                CIC_DECODE_ERROR);
        }
        image->channels = spp;
        image->has_alpha = has_alpha;
        image->bit_depth = bps;
        if (has_alpha && extra[0] == EXTRASAMPLE_ASSOCALPHA) unpremultiply(image);
        TIFFClose(tiff);
        return CIC_OK;
    }
    if (format == SAMPLEFORMAT_IEEEFP || format == SAMPLEFORMAT_INT || bps > 16) {
        char text[CIC_MESSAGE_CAPACITY];
        snprintf(text, sizeof text, "%s samples of %u bits are not supported; convert to 8 or 16-bit unsigned or "
                 "32-bit float", format == SAMPLEFORMAT_INT ? "signed" : format == SAMPLEFORMAT_IEEEFP ? "float"
                 : "unsigned", (unsigned)bps);
        return tiff_failure(tiff, image, message, text, CIC_UNSUPPORTED);
    }
    /* Palette, bilevel, 2- and 4-bit, YCbCr, CMYK, Lab...: libtiff's RGBA reader, 8 bits. */
    char reason[1024] = "";
    if (!TIFFRGBAImageOK(tiff, reason)) {
        char text[CIC_MESSAGE_CAPACITY];
        snprintf(text, sizeof text, "this kind of TIFF is not supported (libtiff: %s)", reason);
        return tiff_failure(tiff, image, message, text, CIC_UNSUPPORTED);
    }
    uint32_t *raster = malloc((size_t)width * height * sizeof(uint32_t));
    if (!raster) return tiff_failure(tiff, image, message, "out of memory", CIC_NO_MEMORY);
    if (!TIFFReadRGBAImageOriented(tiff, width, height, raster, ORIENTATION_TOPLEFT, 0)) {
        free(raster);
        return tiff_failure(tiff, image, message, "the samples cannot be read (corrupt or truncated TIFF)", CIC_DECODE_ERROR);
    }
    const int grey = photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE;
    const size_t channels = (grey ? 1 : 3) + (extra_count >= 1 ? 1 : 0);
    unsigned char *samples = (unsigned char *)raster;  /* packed in place: channels <= 4 bytes a pixel */
    for (size_t i = 0; i < (size_t)width * height; i++) {
        const uint32_t p = raster[i];
        unsigned char pixel[4] = {(unsigned char)TIFFGetR(p), (unsigned char)TIFFGetG(p), (unsigned char)TIFFGetB(p),
                                  (unsigned char)TIFFGetA(p)};
        unsigned char *to = samples + i * channels;
        if (grey) {
            to[0] = pixel[0];
            if (channels == 2) to[1] = pixel[3];
        } else {
            memcpy(to, pixel, channels);
        }
    }
    image->samples = samples;
    image->channels = (int)channels;
    image->has_alpha = extra_count >= 1;
    image->bit_depth = 8;
    /* libtiff's RGBA reader returns premultiplied colour, whichever alpha the file has. */
    if (image->has_alpha) unpremultiply(image);
    /* TIFFReadRGBAImageOriented already applied the orientation tag. */
    image->orientation = 1;
    TIFFClose(tiff);
    return CIC_OK;
}
