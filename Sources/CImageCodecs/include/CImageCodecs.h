#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H

/*
 * Plain C functions over the system image libraries for SSIMFormats: libpng, libjpeg-turbo
 * (with libexif for the orientation tag), libwebp, libavif, libtiff, giflib and GraphicsMagick
 * (BMP and PNM), and LittleCMS for colour profiles.
 *
 * libpng and libjpeg report fatal errors by longjmp; these wrappers catch them and return a
 * status code with the library's message, so Swift never sees a jump. The other libraries
 * return error codes, turned into the same statuses. Every buffer a function returns is
 * allocated with malloc and released with cic_free.
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
    CIC_UNSUPPORTED = 5,   /* valid, but of a kind this glue does not read; the message says which */
};

#define CIC_MESSAGE_CAPACITY 200

/* A decoded image: interleaved samples, 8-bit (uint8_t), 16-bit (native-endian uint16_t) or
   32-bit float, the alpha channel (straight, not premultiplied) last when there is one. */
typedef struct {
    int width;
    int height;
    int channels;      /* 1 grey, 2 grey + alpha, 3 RGB, 4 RGB + alpha */
    int has_alpha;     /* the last channel is alpha (an alpha channel, PNG tRNS, GIF transparency) */
    int bit_depth;     /* 8, 16 (uint16_t) or 32 (float, as stored: not clamped) */
    int orientation;   /* EXIF orientation 1...8 (1: rows top to bottom, columns left to right) */
    void *samples;     /* width * height * channels samples; release with cic_free */
    unsigned char *icc;  /* the embedded ICC profile, or NULL; release with cic_free */
    size_t icc_size;
} cic_image;

/* An encoded file in memory. */
typedef struct {
    unsigned char *bytes;  /* release with cic_free */
    size_t count;
} cic_buffer;

/*
 * Every decoder below takes the file's bytes, refuses images with more than max_pixels pixels
 * (CIC_TOO_LARGE, before allocating their samples) and sets *image on CIC_OK; on any other
 * status it has released what it allocated.
 */

/*
 * Decodes a PNG of any colour type and bit depth to grey or RGB samples at 8 or 16 bits.
 * Palette images become RGB, grey below 8 bits becomes 8-bit grey (values scaled to 0...255),
 * tRNS becomes an alpha channel. The iCCP profile is returned.
 */
int cic_png_decode(const unsigned char *data, size_t size, size_t max_pixels,
                   cic_image *image, char message[CIC_MESSAGE_CAPACITY]);

/* Decodes a baseline or progressive JPEG to 8-bit grey or RGB samples; warnings about corrupt or
   truncated data are errors. The APP2 ICC profile and the APP1 Exif orientation are returned. */
int cic_jpeg_decode(const unsigned char *data, size_t size, size_t max_pixels,
                    cic_image *image, char message[CIC_MESSAGE_CAPACITY]);

/* Decodes a WebP (lossy or lossless, still or the first frame of an animation, libwebp) to 8-bit
   RGB or RGBA. The ICCP chunk's profile is returned. */
int cic_webp_decode(const unsigned char *data, size_t size, size_t max_pixels,
                    cic_image *image, char message[CIC_MESSAGE_CAPACITY]);

/* Decodes the primary image of an AVIF (libavif) to RGB or RGBA, 8-bit, or 16-bit for 10- and
   12-bit files (scaled to 0...65535 by libavif). The colr ICC profile is returned, and the irot
   and imir transforms as an EXIF orientation. */
int cic_avif_decode(const unsigned char *data, size_t size, size_t max_pixels,
                    cic_image *image, char message[CIC_MESSAGE_CAPACITY]);

/* Decodes the first directory of a TIFF (libtiff): grey or RGB, with or without alpha, 1 to 8
   bits to 8, 16 bits to 16, 32-bit float to float; palette and other photometrics through
   libtiff's RGBA reader at 8 bits. The ICC profile tag is returned. */
int cic_tiff_decode(const unsigned char *data, size_t size, size_t max_pixels,
                    cic_image *image, char message[CIC_MESSAGE_CAPACITY]);

/* Decodes the first frame of a GIF (giflib) to 8-bit RGB, or RGBA when it has a transparent
   colour or does not cover the logical screen (the rest is transparent). */
int cic_gif_decode(const unsigned char *data, size_t size, size_t max_pixels,
                   cic_image *image, char message[CIC_MESSAGE_CAPACITY]);

/* Decodes a BMP or a PNM (PBM, PGM, PPM, PAM; GraphicsMagick, forced to the format named, "BMP"
   or "PNM") to grey or RGB (+ alpha), 8-bit, or 16-bit when the file holds more than 8 bits. */
/* Initialises GraphicsMagick without its signal handlers; call once, before cic_magick_decode. */
void cic_magick_initialize(void);

int cic_magick_decode(const unsigned char *data, size_t size, size_t max_pixels, const char *format,
                      cic_image *image, char message[CIC_MESSAGE_CAPACITY]);

/* Converts the colour samples of a decoded image from its ICC profile to sRGB (LittleCMS,
   perceptual intent, in place; alpha untouched). A grey image with a grey profile stays grey,
   through the sRGB tone curve. CIC_DECODE_ERROR when the profile is invalid or does not fit the
   image's colour space. */
int cic_icc_to_srgb(cic_image *image, char message[CIC_MESSAGE_CAPACITY]);

/* Encodes interleaved 8-bit grey (channels 1) or RGB (channels 3) samples as a PNG; `fast`
   non-zero trades size for speed (no row filter, zlib level 1: the same pixels, other bytes). */
int cic_png_encode(const unsigned char *samples, int width, int height, int channels, int fast,
                   cic_buffer *output, char message[CIC_MESSAGE_CAPACITY]);

/* The fast PNG encode of cic_png_encode, rows handed in as they are drawn: create, hand in every
   row top to bottom (in as many calls as wanted), finish, destroy (always, also after a failure;
   NULL is accepted). Create returns NULL on bad arguments or no memory (the message says which);
   the others return CIC_OK or the status of a failure, after which only destroy may be called.
   `message` receives libpng's message on failure. */
typedef struct cic_png_writer cic_png_writer;
cic_png_writer *cic_png_writer_create(int width, int height, int channels, char message[CIC_MESSAGE_CAPACITY]);
int cic_png_writer_rows(cic_png_writer *writer, const unsigned char *rows, int count,
                        char message[CIC_MESSAGE_CAPACITY]);
int cic_png_writer_finish(cic_png_writer *writer, cic_buffer *output, char message[CIC_MESSAGE_CAPACITY]);
void cic_png_writer_destroy(cic_png_writer *writer);

/* Encodes interleaved 8-bit grey or RGB samples as a JPEG of the given quality (1...100). */
int cic_jpeg_encode(const unsigned char *samples, int width, int height, int channels, int quality,
                    cic_buffer *output, char message[CIC_MESSAGE_CAPACITY]);

/* Releases a buffer returned by the functions above. */
void cic_free(void *pointer);

#endif
