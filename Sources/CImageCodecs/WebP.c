/* WebP decoding through libwebp: WebPDecode for a still image, WebPAnimDecoder (libwebpdemux)
   for the first frame of an animation, WebPDemux for the ICC profile. */
#include "CImageCodecs.h"
#include "Support.h"

#include <stdlib.h>
#include <string.h>

#include <webp/decode.h>
#include <webp/demux.h>

/* The ICCP chunk's profile, copied into image->icc. */
static void read_icc(const WebPData *file, cic_image *image) {
    WebPDemuxer *demuxer = WebPDemux(file);
    if (!demuxer) return;
    WebPChunkIterator chunk;
    if ((WebPDemuxGetI(demuxer, WEBP_FF_FORMAT_FLAGS) & ICCP_FLAG) && WebPDemuxGetChunk(demuxer, "ICCP", 1, &chunk)) {
        image->icc = cic_copy_bytes(chunk.chunk.bytes, chunk.chunk.size);
        image->icc_size = image->icc ? chunk.chunk.size : 0;
        WebPDemuxReleaseChunkIterator(&chunk);
    }
    WebPDemuxDelete(demuxer);
}

/* The first frame of an animated WebP, composed on its canvas, as RGBA. */
static int decode_first_frame(const WebPData *file, cic_image *image, char *message) {
    WebPAnimDecoderOptions options;
    if (!WebPAnimDecoderOptionsInit(&options)) return CIC_BAD_ARGUMENT;
    options.color_mode = MODE_RGBA;
    options.use_threads = 0;
    WebPAnimDecoder *decoder = WebPAnimDecoderNew(file, &options);
    if (!decoder) {
        cic_copy_message(message, "the animation cannot be read (corrupt or truncated WebP)");
        return CIC_DECODE_ERROR;
    }
    uint8_t *frame = NULL;
    int timestamp = 0;
    if (!WebPAnimDecoderGetNext(decoder, &frame, &timestamp) || !frame) {
        WebPAnimDecoderDelete(decoder);
        cic_copy_message(message, "the first frame cannot be decoded (corrupt or truncated WebP)");
        return CIC_DECODE_ERROR;
    }
    const size_t count = (size_t)image->width * (size_t)image->height * 4;
    image->samples = malloc(count);
    if (image->samples) memcpy(image->samples, frame, count);
    WebPAnimDecoderDelete(decoder);
    if (!image->samples) return CIC_NO_MEMORY;
    image->channels = 4;
    image->has_alpha = 1;
    return CIC_OK;
}

int cic_webp_decode(const unsigned char *data, size_t size, size_t max_pixels,
                    cic_image *image, char message[CIC_MESSAGE_CAPACITY]) {
    cic_begin(image, message);
    WebPBitstreamFeatures features;
    const VP8StatusCode header = WebPGetFeatures(data, size, &features);
    if (header != VP8_STATUS_OK) {
        cic_copy_message(message, header == VP8_STATUS_NOT_ENOUGH_DATA ? "the file ends early (truncated WebP)"
                                                                        : "invalid WebP header");
        return CIC_DECODE_ERROR;
    }
    image->width = features.width;
    image->height = features.height;
    const int sized = cic_check_size((size_t)features.width, (size_t)features.height, size, 0, max_pixels, message);
    if (sized != CIC_OK) return sized;
    image->bit_depth = 8;
    const WebPData file = {data, size};
    int status;
    if (features.has_animation) {
        status = decode_first_frame(&file, image, message);
    } else {
        const int channels = features.has_alpha ? 4 : 3;
        const size_t stride = (size_t)features.width * (size_t)channels;
        const size_t count = stride * (size_t)features.height;
        image->samples = malloc(count);
        if (!image->samples) return CIC_NO_MEMORY;
        const uint8_t *decoded = features.has_alpha
            ? WebPDecodeRGBAInto(data, size, image->samples, count, (int)stride)
            : WebPDecodeRGBInto(data, size, image->samples, count, (int)stride);
        if (!decoded) {
            cic_copy_message(message, "the image data cannot be decoded (corrupt or truncated WebP)");
            status = CIC_DECODE_ERROR;
        } else {
            image->channels = channels;
            image->has_alpha = features.has_alpha ? 1 : 0;
            status = CIC_OK;
        }
    }
    if (status != CIC_OK) {
        const int width = image->width, height = image->height;
        cic_release(image);
        image->width = width;
        image->height = height;
        return status;
    }
    read_icc(&file, image);
    return CIC_OK;
}
