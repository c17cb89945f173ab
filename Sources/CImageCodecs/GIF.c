/* The first frame of a GIF through giflib, read record by record from memory. */
#include "CImageCodecs.h"
#include "Support.h"

#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
} gif_memory_source;

static int gif_read_from_memory(GifFileType *gif, GifByteType *destination, int count) {
    gif_memory_source *source = gif->UserData;
    if (count <= 0) return 0;
    size_t available = source->size - source->offset;
    size_t n = (size_t)count < available ? (size_t)count : available;
    memcpy(destination, source->data + source->offset, n);
    source->offset += n;
    return (int)n;
}

static int gif_failure(GifFileType *gif, cic_image *image, char *message, const char *text, int status) {
    if (!text) text = GifErrorString(gif->Error);
    cic_copy_message(message, text ? text : "corrupt or truncated GIF");
    const int width = image->width, height = image->height;
    cic_release(image);
    image->width = width;
    image->height = height;
    int ignored = 0;
    DGifCloseFile(gif, &ignored);
    return status;
}

/* The transparent colour index of a graphic control extension, or -1. */
static int transparent_index(GifFileType *gif, GifByteType *extension) {
    GraphicsControlBlock block;
    if (extension && DGifExtensionToGCB(extension[0], extension + 1, &block) == GIF_OK) return block.TransparentColor;
    (void)gif;
    return -1;
}

int cic_gif_decode(const unsigned char *data, size_t size, size_t max_pixels,
                   cic_image *image, char message[CIC_MESSAGE_CAPACITY]) {
    cic_begin(image, message);
    gif_memory_source source = {data, size, 0};
    int error = 0;
    GifFileType *gif = DGifOpen(&source, gif_read_from_memory, &error);
    if (!gif) {
        const char *text = GifErrorString(error);
        cic_copy_message(message, text ? text : "not a GIF");
        return CIC_DECODE_ERROR;
    }
    const size_t width = gif->SWidth > 0 ? (size_t)gif->SWidth : 0, height = gif->SHeight > 0 ? (size_t)gif->SHeight : 0;
    image->width = (int)width;
    image->height = (int)height;
    const int sized = cic_check_size(width, height, size, 1 << 20, max_pixels, message);
    if (sized != CIC_OK) {
        int ignored = 0;
        DGifCloseFile(gif, &ignored);
        return sized;
    }
    /* The screen is filled by frames, whose LZW codes (at least 3 bits) decode to at most 4096
       pixels each: a screen the whole file could not fill is refused before it is allocated (the
       fuzzer's 120-byte GIF of a 2304 x 33442 screen asked for 300 MB). */
    if (width * height / 4096 > size * 8 / 3 + 1) {
        int ignored = 0;
        DGifCloseFile(gif, &ignored);
        cic_copy_message(message, "the GIF's screen is larger than its data could fill (a damaged or hostile header)");
        return CIC_DECODE_ERROR;
    }
    int transparent = -1;
    GifRecordType record;
    for (;;) {
        if (DGifGetRecordType(gif, &record) == GIF_ERROR) return gif_failure(gif, image, message, NULL, CIC_DECODE_ERROR);
        if (record == TERMINATE_RECORD_TYPE) {
            return gif_failure(gif, image, message, "the GIF has no image", CIC_DECODE_ERROR);
        }
        if (record == EXTENSION_RECORD_TYPE) {
            int code = 0;
            GifByteType *extension = NULL;
            if (DGifGetExtension(gif, &code, &extension) == GIF_ERROR) return gif_failure(gif, image, message, NULL, CIC_DECODE_ERROR);
            if (code == GRAPHICS_EXT_FUNC_CODE) transparent = transparent_index(gif, extension);
            while (extension) {
                if (DGifGetExtensionNext(gif, &extension) == GIF_ERROR) return gif_failure(gif, image, message, NULL, CIC_DECODE_ERROR);
            }
            continue;
        }
        if (record == IMAGE_DESC_RECORD_TYPE) break;
    }
    if (DGifGetImageDesc(gif) == GIF_ERROR) return gif_failure(gif, image, message, NULL, CIC_DECODE_ERROR);
    const GifImageDesc frame = gif->Image;
    const ColorMapObject *colours = frame.ColorMap ? frame.ColorMap : gif->SColorMap;
    if (!colours || !colours->Colors || frame.Width <= 0 || frame.Height <= 0) {
        return gif_failure(gif, image, message, "the first frame has no colour table or no pixels", CIC_DECODE_ERROR);
    }
    /* LZW codes are at least 3 bits and decode to at most 4096 pixels each: a frame the rest of
       the file cannot hold is refused before anything is allocated for it. */
    const size_t frame_pixels = (size_t)frame.Width * (size_t)frame.Height;
    if (frame_pixels / 4096 > (size - source.offset) * 8 / 3 + 1) {
        return gif_failure(gif, image, message, "the frame is larger than the file can hold (truncated GIF)", CIC_DECODE_ERROR);
    }
    const int covers = frame.Left == 0 && frame.Top == 0 && (size_t)frame.Width == width && (size_t)frame.Height == height;
    const int channels = (transparent >= 0 || !covers) ? 4 : 3;
    unsigned char *samples = calloc(width * height, (size_t)channels);  /* outside the frame: transparent */
    GifPixelType *line = malloc((size_t)frame.Width);
    if (!samples || !line) {
        free(samples);
        free(line);
        return gif_failure(gif, image, message, "out of memory", CIC_NO_MEMORY);
    }
    image->samples = samples;
    static const int interlaced_start[4] = {0, 4, 2, 1}, interlaced_step[4] = {8, 8, 4, 2};
    const int passes = frame.Interlace ? 4 : 1;
    for (int pass = 0; pass < passes; pass++) {
        const int start = frame.Interlace ? interlaced_start[pass] : 0, step = frame.Interlace ? interlaced_step[pass] : 1;
        for (int row = start; row < frame.Height; row += step) {
            if (DGifGetLine(gif, line, frame.Width) == GIF_ERROR) {
                free(line);
                return gif_failure(gif, image, message, NULL, CIC_DECODE_ERROR);
            }
            const long y = (long)frame.Top + row;
            if (y < 0 || (size_t)y >= height) continue;
            for (int column = 0; column < frame.Width; column++) {
                const long x = (long)frame.Left + column;
                if (x < 0 || (size_t)x >= width) continue;
                unsigned char *pixel = samples + ((size_t)y * width + (size_t)x) * (size_t)channels;
                const int index = line[column];
                /* The transparent index keeps its palette colour under alpha 0, as Pillow reads it. */
                if (index < colours->ColorCount) {
                    pixel[0] = colours->Colors[index].Red;
                    pixel[1] = colours->Colors[index].Green;
                    pixel[2] = colours->Colors[index].Blue;
                }
                if (channels == 4) pixel[3] = index == transparent ? 0 : 255;
            }
        }
    }
    free(line);
    int ignored = 0;
    DGifCloseFile(gif, &ignored);
    image->channels = channels;
    image->has_alpha = channels == 4;
    image->bit_depth = 8;
    return CIC_OK;
}
