/* Helpers shared by the decoders of CImageCodecs (not part of its interface). */
#ifndef CIC_SUPPORT_H
#define CIC_SUPPORT_H

#include <stddef.h>

#include "CImageCodecs.h"

/* Copies text (or "unknown error" for NULL) into a message buffer, cut to its capacity. */
void cic_copy_message(char *destination, const char *text);

/* Whether width * height is positive and at most max_pixels (checked without overflow). */
int cic_pixel_count_allowed(size_t width, size_t height, size_t max_pixels);

/* CIC_OK when a width x height image may be decoded from a file of `size` bytes: CIC_TOO_LARGE
   above max_pixels, CIC_DECODE_ERROR (with the message) when it claims more than
   pixels_per_byte pixels for each byte of the file, so that a forged header costs no allocation.
   The bounds, each well above what the codec can reach: PNG 16384 (Deflate expands at most
   1032 times, 8 one-bit pixels a byte), JPEG 16384 (at least a bit or two per 8 x 8 block), GIF
   2^20 (the logical screen may be larger than the frame). WebP lossless (a one-colour Huffman
   code takes 0 bits a pixel) and AV1 (skipped superblocks) have no such bound: their decoders
   pass 0, no bound, and only max_pixels applies; TIFF, BMP and PNM check their own. */
int cic_check_size(size_t width, size_t height, size_t size, size_t pixels_per_byte, size_t max_pixels,
                   char *message);

/* Whether the host stores integers little-endian. */
int cic_host_is_little_endian(void);

/* A malloc'ed copy of count bytes, or NULL (also when count is 0). */
unsigned char *cic_copy_bytes(const void *bytes, size_t count);

/* Resets *image and the message before a decode. */
void cic_begin(cic_image *image, char *message);

/* Releases what a failed decode left in *image and resets it. */
void cic_release(cic_image *image);

#endif
