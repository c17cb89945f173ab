/* Embedded ICC profiles to sRGB through LittleCMS 2. */
#include "CImageCodecs.h"
#include "Support.h"

#include <stdio.h>

#include <lcms2.h>

/* A grey profile with sRGB's white point and tone curve: where a grey image goes. */
static cmsHPROFILE srgb_grey_profile(void) {
    const cmsFloat64Number parameters[5] = {2.4, 1.0 / 1.055, 0.055 / 1.055, 1.0 / 12.92, 0.04045};
    cmsToneCurve *curve = cmsBuildParametricToneCurve(NULL, 4, parameters);
    if (!curve) return NULL;
    cmsHPROFILE profile = cmsCreateGrayProfile(cmsD50_xyY(), curve);
    cmsFreeToneCurve(curve);
    return profile;
}

/* The LittleCMS pixel type of the image's samples. */
static cmsUInt32Number pixel_type(const cic_image *image) {
    const int grey = image->channels <= 2;
    if (image->bit_depth == 32) {
        return grey ? (image->has_alpha ? TYPE_GRAYA_FLT : TYPE_GRAY_FLT) : (image->has_alpha ? TYPE_RGBA_FLT : TYPE_RGB_FLT);
    }
    if (image->bit_depth == 16) {
        return grey ? (image->has_alpha ? TYPE_GRAYA_16 : TYPE_GRAY_16) : (image->has_alpha ? TYPE_RGBA_16 : TYPE_RGB_16);
    }
    return grey ? (image->has_alpha ? TYPE_GRAYA_8 : TYPE_GRAY_8) : (image->has_alpha ? TYPE_RGBA_8 : TYPE_RGB_8);
}

int cic_icc_to_srgb(cic_image *image, char message[CIC_MESSAGE_CAPACITY]) {
    cic_copy_message(message, "");
    if (!image->icc || image->icc_size == 0 || !image->samples) return CIC_OK;
    if (image->icc_size > UINT32_MAX) {
        cic_copy_message(message, "the ICC profile is too large");
        return CIC_DECODE_ERROR;
    }
    cmsHPROFILE source = cmsOpenProfileFromMem(image->icc, (cmsUInt32Number)image->icc_size);
    if (!source) {
        cic_copy_message(message, "the embedded ICC profile is invalid (LittleCMS cannot read it)");
        return CIC_DECODE_ERROR;
    }
    const int grey = image->channels <= 2;
    const cmsColorSpaceSignature space = cmsGetColorSpace(source);
    if ((grey && space != cmsSigGrayData) || (!grey && space != cmsSigRgbData)) {
        cmsCloseProfile(source);
        snprintf(message, CIC_MESSAGE_CAPACITY, "the embedded ICC profile is for another colour space than the %s image",
                 grey ? "grey" : "RGB");
        return CIC_UNSUPPORTED;
    }
    cmsHPROFILE target = grey ? srgb_grey_profile() : cmsCreate_sRGBProfile();
    if (!target) {
        cmsCloseProfile(source);
        return CIC_NO_MEMORY;
    }
    const cmsUInt32Number type = pixel_type(image);
    cmsHTRANSFORM transform = cmsCreateTransform(source, type, target, type, INTENT_PERCEPTUAL,
                                                 cmsFLAGS_COPY_ALPHA | cmsFLAGS_NOCACHE);
    cmsCloseProfile(source);
    cmsCloseProfile(target);
    if (!transform) {
        cic_copy_message(message, "the embedded ICC profile cannot be converted to sRGB (LittleCMS)");
        return CIC_DECODE_ERROR;
    }
    const size_t row = (size_t)image->width;
    for (int y = 0; y < image->height; y++) {
        unsigned char *line = (unsigned char *)image->samples
            + (size_t)y * row * (size_t)image->channels * (size_t)(image->bit_depth / 8);
        cmsDoTransform(transform, line, line, (cmsUInt32Number)row);
    }
    cmsDeleteTransform(transform);
    return CIC_OK;
}
