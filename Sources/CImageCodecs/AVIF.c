/* The primary image of an AVIF through libavif (and the AV1 decoder it was built with). */
#include "CImageCodecs.h"
#include "Support.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <avif/avif.h>

/* The EXIF orientation (1...8) of HEIF's transforms: irot (angle x 90 degrees anti-clockwise)
   then imir (mode 0: top and bottom exchanged, 1: left and right), as libavif's avifenc maps them. */
static int avif_orientation(const avifImage *image) {
    const int angle = (image->transformFlags & AVIF_TRANSFORM_IROT) ? image->irot.angle & 3 : 0;
    static const int rotated[4] = {1, 8, 3, 6};
    static const int then_top_bottom[4] = {4, 5, 2, 7};
    static const int then_left_right[4] = {2, 7, 4, 5};
    if (!(image->transformFlags & AVIF_TRANSFORM_IMIR)) return rotated[angle];
    return image->imir.mode == 0 ? then_top_bottom[angle] : then_left_right[angle];
}

static int avif_failure(avifDecoder *decoder, cic_image *image, char *message, const char *what, avifResult result) {
    snprintf(message, CIC_MESSAGE_CAPACITY, "%s: %s", what, avifResultToString(result));
    const int width = image->width, height = image->height;
    cic_release(image);
    image->width = width;
    image->height = height;
    avifDecoderDestroy(decoder);
    return result == AVIF_RESULT_OUT_OF_MEMORY ? CIC_NO_MEMORY : CIC_DECODE_ERROR;
}

int cic_avif_decode(const unsigned char *data, size_t size, size_t max_pixels,
                    cic_image *image, char message[CIC_MESSAGE_CAPACITY]) {
    cic_begin(image, message);
    avifDecoder *decoder = avifDecoderCreate();
    if (!decoder) return CIC_NO_MEMORY;
    decoder->maxThreads = 1;
    decoder->ignoreExif = AVIF_TRUE;
    decoder->ignoreXMP = AVIF_TRUE;
    /* libavif's own limit (16384 x 16384 by default) stays: max_pixels is checked after parsing,
       which reads the header only, before avifDecoderNextImage allocates the planes. */
    avifResult result = avifDecoderSetIOMemory(decoder, data, size);
    if (result != AVIF_RESULT_OK) return avif_failure(decoder, image, message, "cannot read the file", result);
    result = avifDecoderParse(decoder);
    if (result != AVIF_RESULT_OK) {
        const avifImage *header = decoder->image;
        if (header && (header->width > 0 || header->height > 0)) {
            image->width = (int)header->width;
            image->height = (int)header->height;
        }
        if (result == AVIF_RESULT_NOT_IMPLEMENTED) {
            snprintf(message, CIC_MESSAGE_CAPACITY, "not supported by libavif: %s", avifResultToString(result));
            avifDecoderDestroy(decoder);
            return CIC_UNSUPPORTED;
        }
        return avif_failure(decoder, image, message, "invalid AVIF", result);
    }
    image->width = (int)decoder->image->width;
    image->height = (int)decoder->image->height;
    const int sized = cic_check_size(decoder->image->width, decoder->image->height, size, 0, max_pixels, message);
    if (sized != CIC_OK) {
        avifDecoderDestroy(decoder);
        return sized;
    }
    result = avifDecoderNextImage(decoder);
    if (result != AVIF_RESULT_OK) return avif_failure(decoder, image, message, "the image cannot be decoded", result);
    const avifImage *decoded = decoder->image;
    const int has_alpha = decoded->alphaPlane != NULL;
    avifRGBImage rgb;
    avifRGBImageSetDefaults(&rgb, decoded);
    rgb.format = has_alpha ? AVIF_RGB_FORMAT_RGBA : AVIF_RGB_FORMAT_RGB;
    rgb.depth = decoded->depth > 8 ? 16 : 8;
    rgb.alphaPremultiplied = AVIF_FALSE;
    avifRGBImageAllocatePixels(&rgb);
    if (!rgb.pixels) {
        avifDecoderDestroy(decoder);
        return CIC_NO_MEMORY;
    }
    result = avifImageYUVToRGB(decoded, &rgb);
    if (result != AVIF_RESULT_OK) {
        avifRGBImageFreePixels(&rgb);
        return avif_failure(decoder, image, message, "the colours cannot be converted", result);
    }
    const size_t channels = has_alpha ? 4 : 3, bytes = rgb.depth / 8;
    const size_t row = (size_t)rgb.width * channels * bytes;
    unsigned char *samples = malloc(row * rgb.height);
    if (!samples) {
        avifRGBImageFreePixels(&rgb);
        avifDecoderDestroy(decoder);
        return CIC_NO_MEMORY;
    }
    for (uint32_t y = 0; y < rgb.height; y++) memcpy(samples + y * row, rgb.pixels + (size_t)y * rgb.rowBytes, row);
    avifRGBImageFreePixels(&rgb);
    if (decoded->icc.size > 0) {
        image->icc = cic_copy_bytes(decoded->icc.data, decoded->icc.size);
        image->icc_size = image->icc ? decoded->icc.size : 0;
    }
    image->samples = samples;
    image->channels = (int)channels;
    image->has_alpha = has_alpha;
    image->bit_depth = (int)rgb.depth;
    image->orientation = avif_orientation(decoded);
    avifDecoderDestroy(decoder);
    return CIC_OK;
}
