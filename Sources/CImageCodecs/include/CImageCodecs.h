#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H

/*
 * Plain C functions over libpng and libjpeg-turbo for SSIMFormats.
 *
 * Both libraries report fatal errors by longjmp; these wrappers catch them and return a
 * status code with the library's message, so Swift never sees a jump. Every buffer a
 * function returns is allocated with malloc and released with cic_free.
 */

#include <stddef.h>
#include <stdint.h>

/* Status codes. */
enum {
    CIC_OK = 0,
    CIC_DECODE_ERROR = 1,  /* corrupt or truncated data; the message says what libpng/libjpeg saw */
    CIC_TOO_LARGE = 2,     /* width * height exceeds max_pixels; width and height are set */
    CIC_NO_MEMORY = 3,
    CIC_BAD_ARGUMENT = 4,
};

#define CIC_MESSAGE_CAPACITY 200

/* A decoded image: interleaved samples, 8-bit (uint8_t) or 16-bit (native-endian uint16_t). */
typedef struct {
    int width;
    int height;
    int channels;      /* 1 (grey) or 3 (RGB); alpha is dropped, never composited */
    int bit_depth;     /* 8 or 16 */
    int had_alpha;     /* the file had an alpha channel or a tRNS chunk */
    void *samples;     /* width * height * channels samples; release with cic_free */
} cic_image;

/* An encoded file in memory. */
typedef struct {
    unsigned char *bytes;  /* release with cic_free */
    size_t count;
} cic_buffer;

/*
 * Decodes a PNG of any colour type and bit depth to grey or RGB samples at 8 or 16 bits.
 * Palette images become RGB, grey below 8 bits becomes 8-bit grey (values scaled to 0...255),
 * alpha channels and tRNS are dropped. Refuses images with more than max_pixels pixels.
 */
int cic_png_decode(const unsigned char *data, size_t size, size_t max_pixels,
                   cic_image *image, char message[CIC_MESSAGE_CAPACITY]);

/* Decodes a baseline or progressive JPEG to 8-bit grey or RGB samples; warnings about corrupt or
   truncated data are errors. */
int cic_jpeg_decode(const unsigned char *data, size_t size, size_t max_pixels,
                    cic_image *image, char message[CIC_MESSAGE_CAPACITY]);

/* Encodes interleaved 8-bit grey (channels 1) or RGB (channels 3) samples as a PNG. */
int cic_png_encode(const unsigned char *samples, int width, int height, int channels,
                   cic_buffer *output, char message[CIC_MESSAGE_CAPACITY]);

/* Encodes interleaved 8-bit grey or RGB samples as a JPEG of the given quality (1...100). */
int cic_jpeg_encode(const unsigned char *samples, int width, int height, int channels, int quality,
                    cic_buffer *output, char message[CIC_MESSAGE_CAPACITY]);

/* Releases a buffer returned by the functions above. */
void cic_free(void *pointer);

#endif
