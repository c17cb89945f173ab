// Runs Sources/CImageCodecs over image files and prints what it made of them, one line per
// step, so that two builds (x86-64 natively, aarch64 under qemu; Scripts/cross-check.sh) can be
// compared byte for byte: the shape, status and message of each decode (PNG, JPEG, WebP, GIF or
// TIFF by the file's first bytes; the ICC conversion to sRGB of those with a profile), an FNV-1a hash of the samples, the re-encoding of 8-bit images as PNG and
// as JPEG (hash of the encoded bytes, then of their decode), and the decode of the file cut in
// half (libpng's and libjpeg's longjmp error paths).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "CImageCodecs.h"

static uint64_t fnv(const void *data, size_t count) {
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < count; i++) h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

static size_t sampleBytes(const cic_image *image) {
    return (size_t)image->width * image->height * image->channels * (image->bit_depth / 8);
}

static int decode(const unsigned char *data, size_t size, cic_image *image, char *message) {
    memset(image, 0, sizeof *image);
    message[0] = 0;
    const size_t limit = 100000000;
    if (size >= 8 && memcmp(data, "\x89PNG", 4) == 0) return cic_png_decode(data, size, limit, image, message);
    if (size >= 12 && memcmp(data, "RIFF", 4) == 0) return cic_webp_decode(data, size, limit, image, message);
    if (size >= 6 && memcmp(data, "GIF8", 4) == 0) return cic_gif_decode(data, size, limit, image, message);
    if (size >= 4 && (memcmp(data, "II*", 4) == 0 || memcmp(data, "MM\0*", 4) == 0)) {
        return cic_tiff_decode(data, size, limit, image, message);
    }
    return cic_jpeg_decode(data, size, limit, image, message);
}

static void report(const char *what, const unsigned char *data, size_t size, int reencode) {
    cic_image image;
    char message[CIC_MESSAGE_CAPACITY];
    const int status = decode(data, size, &image, message);
    printf("%s: status %d '%s'", what, status, message);
    if (status == CIC_OK) {
        printf(" %dx%dx%d %d-bit alpha %d samples %016llx", image.width, image.height, image.channels,
               image.bit_depth, image.has_alpha, (unsigned long long)fnv(image.samples, sampleBytes(&image)));
    }
    printf("\n");
    if (status == CIC_OK && image.icc) {
        char iccMessage[CIC_MESSAGE_CAPACITY] = "";
        const int converted = cic_icc_to_srgb(&image, iccMessage);
        printf("  icc %zu bytes to sRGB: status %d '%s' samples %016llx\n", image.icc_size, converted, iccMessage,
               (unsigned long long)fnv(image.samples, sampleBytes(&image)));
    }
    if (status == CIC_OK && reencode && image.bit_depth == 8 && !image.has_alpha) {
        /* 0 PNG, 1 PNG deflated for speed, 2 JPEG */
        for (int format = 0; format < 3; format++) {
            cic_buffer out = {0};
            char encodeMessage[CIC_MESSAGE_CAPACITY] = "";
            const int encoded = format < 2
                ? cic_png_encode(image.samples, image.width, image.height, image.channels, format, &out, encodeMessage)
                : cic_jpeg_encode(image.samples, image.width, image.height, image.channels, 90, &out, encodeMessage);
            const char *names[] = {"png", "fast png", "jpeg"};
            printf("  %s encode: status %d '%s' %zu bytes %016llx\n", names[format], encoded,
                   encodeMessage, out.count, (unsigned long long)(out.bytes ? fnv(out.bytes, out.count) : 0));
            if (encoded == CIC_OK) report(format < 2 ? "  png decode" : "  jpeg decode", out.bytes, out.count, 0);
            cic_free(out.bytes);
        }
    }
    if (status == CIC_OK) {
        cic_free(image.samples);
        cic_free(image.icc);
    }
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        FILE *file = fopen(argv[i], "rb");
        if (!file) { perror(argv[i]); return 2; }
        fseek(file, 0, SEEK_END);
        const long size = ftell(file);
        fseek(file, 0, SEEK_SET);
        unsigned char *data = malloc(size > 0 ? (size_t)size : 1);
        if (!data || fread(data, 1, (size_t)size, file) != (size_t)size) { perror(argv[i]); return 2; }
        fclose(file);
        const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        printf("%s (%ld bytes)\n", name, size);
        report(" whole", data, (size_t)size, 1);
        report(" half", data, (size_t)size / 2, 0);
        free(data);
    }
    return 0;
}
