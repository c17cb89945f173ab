#include "Support.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cic_copy_message(char *destination, const char *text) {
    snprintf(destination, CIC_MESSAGE_CAPACITY, "%s", text ? text : "unknown error");
}

int cic_pixel_count_allowed(size_t width, size_t height, size_t max_pixels) {
    return width > 0 && height > 0 && width <= max_pixels / height;
}

int cic_check_size(size_t width, size_t height, size_t size, size_t pixels_per_byte, size_t max_pixels,
                   char *message) {
    if (!cic_pixel_count_allowed(width, height, max_pixels)) return CIC_TOO_LARGE;
    if (pixels_per_byte > 0 && width * height / pixels_per_byte > size) {
        snprintf(message, CIC_MESSAGE_CAPACITY,
                 "the header claims %zu x %zu pixels, more than a file of %zu bytes can hold (truncated or forged)",
                 width, height, size);
        return CIC_DECODE_ERROR;
    }
    return CIC_OK;
}

int cic_host_is_little_endian(void) {
    const uint16_t probe = 1;
    return *(const unsigned char *)&probe == 1;
}

unsigned char *cic_copy_bytes(const void *bytes, size_t count) {
    if (!bytes || count == 0) return NULL;
    unsigned char *copy = malloc(count);
    if (copy) memcpy(copy, bytes, count);
    return copy;
}

void cic_begin(cic_image *image, char *message) {
    memset(image, 0, sizeof *image);
    image->orientation = 1;
    cic_copy_message(message, "");
}

void cic_release(cic_image *image) {
    free(image->samples);
    free(image->icc);
    const int orientation = 1;
    memset(image, 0, sizeof *image);
    image->orientation = orientation;
}

void cic_free(void *pointer) { free(pointer); }
