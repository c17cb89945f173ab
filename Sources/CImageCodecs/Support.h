/* Helpers shared by the decoders of CImageCodecs (not part of its interface). */
#ifndef CIC_SUPPORT_H
#define CIC_SUPPORT_H

#include <stddef.h>

#include "CImageCodecs.h"

/* Copies text (or "unknown error" for NULL) into a message buffer, cut to its capacity. */
void cic_copy_message(char *destination, const char *text);

/* Whether width * height is positive and at most max_pixels (checked without overflow). */
int cic_pixel_count_allowed(size_t width, size_t height, size_t max_pixels);

/* Whether the host stores integers little-endian. */
int cic_host_is_little_endian(void);

/* A malloc'ed copy of count bytes, or NULL (also when count is 0). */
unsigned char *cic_copy_bytes(const void *bytes, size_t count);

/* Resets *image and the message before a decode. */
void cic_begin(cic_image *image, char *message);

/* Releases what a failed decode left in *image and resets it. */
void cic_release(cic_image *image);

#endif
