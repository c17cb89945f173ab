/* BMP and PNM (PBM, PGM, PPM, PAM) through GraphicsMagick, forced to the format the content was
   recognised as: pinged first (the header only) so that the size is checked before any pixel is
   allocated, then read and exported as 8- or 16-bit samples. */
#include "CImageCodecs.h"
#include "Support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <magick/api.h>

void cic_magick_initialize(void) {
    ExceptionInfo exception;
    GetExceptionInfo(&exception);
    /* No signal handlers: the ssim command installs its own (temporary-file cleanup). */
    InitializeMagickEx(NULL, MAGICK_OPT_NO_SIGNAL_HANDER, &exception);
    DestroyExceptionInfo(&exception);
}

static int magick_failure(ExceptionInfo *exception, ImageInfo *info, Image *picture, cic_image *image, char *message,
                          const char *text, int status) {
    if (text) {
        cic_copy_message(message, text);
    } else {
        snprintf(message, CIC_MESSAGE_CAPACITY, "%s%s%s", exception->reason ? exception->reason : "unreadable image",
                 exception->description ? ": " : "", exception->description ? exception->description : "");
    }
    const int width = image->width, height = image->height;
    cic_release(image);
    image->width = width;
    image->height = height;
    if (picture) DestroyImage(picture);
    DestroyImageInfo(info);
    DestroyExceptionInfo(exception);
    return status;
}

/* Whether a PNM's content is grey: PBM and PGM, or a PAM whose TUPLTYPE says so. */
static int pnm_is_grey(const unsigned char *data, size_t size) {
    if (size < 2) return 0;
    if (data[1] == '1' || data[1] == '2' || data[1] == '4' || data[1] == '5') return 1;
    if (data[1] != '7') return 0;
    const size_t head = size < 512 ? size : 512;
    for (size_t i = 0; i + 8 < head; i++) {
        if (memcmp(data + i, "TUPLTYPE", 8) == 0) {
            const char *rest = (const char *)data + i + 8;
            size_t left = head - i - 8;
            while (left > 0 && (*rest == ' ' || *rest == '\t')) rest++, left--;
            return (left >= 9 && memcmp(rest, "GRAYSCALE", 9) == 0) || (left >= 13 && memcmp(rest, "BLACKANDWHITE", 13) == 0);
        }
    }
    return 0;
}

/* Whether a BMP's fourth byte per pixel is padding: 32 bits a pixel, no bit fields, and the
   40-byte BITMAPINFOHEADER, which has no alpha mask (browsers and Pillow ignore that byte). */
static int bmp_fourth_byte_is_padding(const unsigned char *data, size_t size) {
    if (size < 34) return 0;
    const unsigned long header = data[14] | (unsigned long)data[15] << 8 | (unsigned long)data[16] << 16
        | (unsigned long)data[17] << 24;
    const unsigned bits = data[28] | (unsigned)data[29] << 8;
    const unsigned long compression = data[30] | (unsigned long)data[31] << 8 | (unsigned long)data[32] << 16
        | (unsigned long)data[33] << 24;
    return header == 40 && bits == 32 && compression == 0;
}

int cic_magick_decode(const unsigned char *data, size_t size, size_t max_pixels, const char *format,
                      cic_image *image, char message[CIC_MESSAGE_CAPACITY]) {
    cic_begin(image, message);
    const int is_bmp = strcmp(format, "BMP") == 0;
    if (!is_bmp && strcmp(format, "PNM") != 0) {
        cic_copy_message(message, "format must be BMP or PNM");
        return CIC_BAD_ARGUMENT;
    }
    ExceptionInfo exception;
    GetExceptionInfo(&exception);
    ImageInfo *info = CloneImageInfo(NULL);
    if (!info) {
        DestroyExceptionInfo(&exception);
        return CIC_NO_MEMORY;
    }
    snprintf(info->filename, sizeof info->filename, "%s:memory", format);
    info->subimage = 0;
    info->subrange = 1;
    Image *picture = PingBlob(info, data, size, &exception);
    if (!picture) return magick_failure(&exception, info, NULL, image, message, NULL, CIC_DECODE_ERROR);
    image->width = (int)picture->columns;
    image->height = (int)picture->rows;
    const int sized = cic_check_size(picture->columns, picture->rows, size, 0, max_pixels, message);
    if (sized != CIC_OK) {
        DestroyImage(picture);
        DestroyImageInfo(info);
        DestroyExceptionInfo(&exception);
        return sized;
    }
    /* Uncompressed pixels take at least one bit each in the file; run-length BMP pixels at most
       16384 a byte (runs and skips). A header that claims more than the file can hold is refused. */
    const size_t pixels = picture->columns * picture->rows;
    const int compressed = picture->compression == RLECompression;
    if ((!compressed && pixels / 8 > size) || (compressed && pixels / 16384 > size)) {
        return magick_failure(&exception, info, picture, image, message,
                              "the file is smaller than its header's pixels need (truncated image)", CIC_DECODE_ERROR);
    }
    DestroyImage(picture);
    picture = BlobToImage(info, data, size, &exception);
    if (!picture || exception.severity >= ErrorException) {
        return magick_failure(&exception, info, picture, image, message, NULL, CIC_DECODE_ERROR);
    }
    if ((size_t)image->width != picture->columns || (size_t)image->height != picture->rows) {
        return magick_failure(&exception, info, picture, image, message, "the size changed between the header and the pixels",
                              CIC_DECODE_ERROR);
    }
    const int grey = is_bmp ? 0 : pnm_is_grey(data, size);
    const int alpha = picture->matte && !(is_bmp && bmp_fourth_byte_is_padding(data, size)) ? 1 : 0;
    const char *map = grey ? (alpha ? "IA" : "I") : (alpha ? "RGBA" : "RGB");
    const size_t channels = strlen(map);
    const int deep = picture->depth > 8;
    image->samples = malloc(pixels * channels * (deep ? 2 : 1));
    if (!image->samples) return magick_failure(&exception, info, picture, image, message, "out of memory", CIC_NO_MEMORY);
    if (!DispatchImage(picture, 0, 0, picture->columns, picture->rows, map, deep ? ShortPixel : CharPixel,
                       image->samples, &exception)) {
        return magick_failure(&exception, info, picture, image, message, NULL, CIC_DECODE_ERROR);
    }
    image->channels = (int)channels;
    image->has_alpha = alpha;
    image->bit_depth = deep ? 16 : 8;
    DestroyImage(picture);
    DestroyImageInfo(info);
    DestroyExceptionInfo(&exception);
    return CIC_OK;
}
