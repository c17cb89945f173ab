#!/usr/bin/env python3
"""Writes the WebP, AVIF, TIFF, GIF, BMP and PNM fixtures of the SSIMFormats tests, each with the
pixels a reference decoder reads from it.

    pip install pillow numpy tifffile      # Pillow 11.3+ reads and writes AVIF itself
    python3 Scripts/make_image_fixtures.py [output-directory]

For each NAME.EXT it writes NAME.npy: float32, shape (C, H, W), alpha last when the file has
transparency, integer samples divided by 255 or 65535 in float32 (exactly what the Swift reader
computes), float samples as stored. The reference decoder is Pillow, except for what Pillow cannot
read (RGB 16-bit, RGB float32 and tiled TIFF), which tifffile reads. Pillow's modes map to the
reader's channels: "1" and "L" are grey; "P" becomes RGB, or RGBA when it has transparency; BMP
is always read as RGB(A). Lossy WebP and AVIF are compared with Pillow's decode of the same file.

Also writes the ImageMagick #2835 pair (alpha-2835-a.png, alpha-2835-b.png: the same RGBA picture
with other colours under its fully transparent pixels) and a JPEG with EXIF orientation 6 with
its upright pixels (orientation-6.jpg, orientation-6.npy, Pillow's ImageOps.exif_transpose) and
the same picture stored upright as a PNG (orientation-6-upright.png).
"""
import io
import os
import struct
import sys

import numpy as np
import tifffile
from PIL import Image, ImageCms, ImageOps

W, H = 21, 17  # GIF interlaces from 16 rows up
rng = np.random.default_rng(20261202)


def picture(channels, depth=8):
    """A smooth colour field with some noise and an edge: what encoders see in photographs."""
    y, x = np.mgrid[0:H, 0:W].astype(np.float64)
    base = [0.5 + 0.4 * np.sin(x / 4 + c) * np.cos(y / 5 - c) for c in range(3)]
    base = np.stack(base[:channels] if channels <= 3 else base + [np.clip(x / (W - 1), 0, 1)])
    base[:, :, W // 2:] *= 0.8
    base = np.clip(base + rng.normal(0, 0.03, base.shape), 0, 1)
    top = 255 if depth == 8 else 65535
    return np.round(base * top).astype(np.uint8 if depth == 8 else np.uint16)  # (C, H, W)


def hwc(chw):
    return np.ascontiguousarray(np.moveaxis(chw, 0, -1).squeeze(-1) if chw.shape[0] == 1 else np.moveaxis(chw, 0, -1))


def reference(array):
    """(H, W[, C]) samples as the float32 (C, H, W) the reader must return."""
    a = array if array.ndim == 3 else array[:, :, None]
    a = np.moveaxis(a, -1, 0)
    if a.dtype == np.uint8:
        return a.astype(np.float32) / np.float32(255)
    if a.dtype in (np.uint16, np.dtype(">u2")):
        return a.astype(np.float32) / np.float32(65535)
    return a.astype(np.float32)


def pillow_reference(path, always_rgb=False):
    image = Image.open(path)
    image.seek(0)
    mode = image.mode
    if mode == "1":
        image = image.convert("L")
    elif mode == "P" or (always_rgb and mode in ("L", "1")):
        image = image.convert("RGBA" if "transparency" in image.info or image.mode == "PA" else "RGB")
    elif mode == "I;16" or mode == "I;16B":
        return reference(np.array(image).astype(np.uint16))
    elif mode == "I":
        return reference(np.array(image).astype(np.uint16))
    if always_rgb and image.mode == "L":
        image = image.convert("RGB")
    return reference(np.array(image))


def s15f16(value):
    return struct.pack(">i", int(round(value * 65536)))


def display_p3_profile():
    """An ICC v4 Display P3 profile (Apple's D50-adapted primaries, the sRGB tone curve), built
    here so that no third-party profile file is copied into the repository."""
    def xyz(x, y, z):
        return b"XYZ " + b"\0" * 4 + s15f16(x) + s15f16(y) + s15f16(z)
    def mluc(text):
        encoded = text.encode("utf-16-be")
        return b"mluc" + b"\0" * 4 + struct.pack(">II", 1, 12) + b"enUS" + struct.pack(">II", len(encoded), 28) + encoded
    curve = b"para" + b"\0" * 4 + struct.pack(">HH", 3, 0) + b"".join(
        s15f16(v) for v in (2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045))
    tags = [(b"desc", mluc("Display P3 (swift-ssim fixture)")), (b"cprt", mluc("No copyright, use freely")),
            (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"rXYZ", xyz(0.5151, 0.2412, -0.0011)),
            (b"gXYZ", xyz(0.2920, 0.6922, 0.0419)), (b"bXYZ", xyz(0.1571, 0.0666, 0.7841)),
            (b"chad", b"sf32" + b"\0" * 4 + b"".join(s15f16(v) for v in (1, 0, 0, 0, 1, 0, 0, 0, 1))),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    table, data = b"", b""
    offset = 128 + 4 + 12 * len(tags)
    for signature, body in tags:
        while len(body) % 4:
            body += b"\0"
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = struct.pack(">I", size) + b"lcms" + bytes([4, 0x30, 0, 0]) + b"mntrRGB XYZ " + struct.pack(">6H", 2026, 12, 2, 0, 0, 0)
    header += b"acsp" + b"APPL" + b"\0" * 4 + b"\0" * 4 + b"\0" * 4 + b"\0" * 8 + struct.pack(">I", 0)
    header += s15f16(0.9642) + s15f16(1.0) + s15f16(0.8249) + b"lcms" + b"\0" * 16 + b"\0" * 28
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "Tests/SSIMFormatsTests/Fixtures/formats"
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)
    written = []

    def save(name, image, **options):
        image.save(p(name), **options)
        written.append(name)

    rgb, rgba, grey = picture(3), picture(4), picture(1)
    rgba[3, :, :3] = 0  # a fully transparent band
    rgb_image, rgba_image = Image.fromarray(hwc(rgb)), Image.fromarray(hwc(rgba))
    grey_image = Image.fromarray(hwc(grey))

    # WebP (libwebp): lossless and lossy, with and without alpha.
    save("webp-lossless-rgb.webp", rgb_image, lossless=True)
    save("webp-lossless-rgba.webp", rgba_image, lossless=True, exact=True)
    save("webp-lossy-rgb.webp", rgb_image, quality=80)
    save("webp-lossy-rgba.webp", rgba_image, quality=80)
    # AVIF (libavif): lossy 8-bit 4:2:0 and 4:4:4, with alpha.
    save("avif-rgb.avif", rgb_image, quality=70)
    save("avif-rgb-444.avif", rgb_image, quality=90, subsampling="4:4:4")
    save("avif-rgba.avif", rgba_image, quality=70)
    # TIFF (libtiff): 8-bit grey, RGB, RGBA (LZW, Deflate), palette, bilevel, 16-bit grey.
    save("tiff-grey8.tif", grey_image)
    save("tiff-rgb8-lzw.tif", rgb_image, compression="tiff_lzw")
    save("tiff-rgba8-deflate.tif", rgba_image, compression="tiff_adobe_deflate")
    save("tiff-palette.tif", rgb_image.quantize(16))
    save("tiff-bilevel-g4.tif", grey_image.point(lambda v: 255 if v > 128 else 0).convert("1"), compression="group4")
    save("tiff-grey16.tif", Image.fromarray(hwc(picture(1, 16)).astype("<u2")))
    save("tiff-grey-float.tif", Image.fromarray((hwc(picture(1, 16)) / 65535.0).astype(np.float32)))
    # Written by tifffile (Pillow cannot write these): 16-bit RGB, float RGB, tiled, planar.
    tiff_extra = {
        "tiff-rgb16.tif": (hwc(picture(3, 16)), {}),
        "tiff-rgba16-planar.tif": (picture(4, 16), {"planarconfig": "separate", "extrasamples": ["unassalpha"]}),
        "tiff-rgb-float-tiled.tif": ((hwc(picture(3, 16)) / 65535.0).astype(np.float32), {"tile": (16, 16)}),
        "tiff-rgb8-tiled-deflate.tif": (hwc(rgb), {"tile": (16, 16), "compression": "zlib"}),
    }
    for name, (array, options) in tiff_extra.items():
        tifffile.imwrite(p(name), array, photometric="rgb", **options)
        written.append(name)
    # Premultiplied (associated) alpha, as renderers write it; Pillow divides it out on reading.
    premultiplied = hwc(rgba).astype(np.float64)
    premultiplied[..., :3] = np.round(premultiplied[..., :3] * premultiplied[..., 3:] / 255)
    tifffile.imwrite(p("tiff-rgba8-associated.tif"), premultiplied.astype(np.uint8), photometric="rgb",
                     extrasamples=["assocalpha"])
    written.append("tiff-rgba8-associated.tif")
    # GIF (giflib): interlaced (Pillow's default from 16 rows), transparent, small and plain.
    save("gif-interlaced.gif", rgb_image.quantize(64))
    transparent = rgba_image.quantize(32)
    save("gif-transparent.gif", transparent, transparency=0)
    save("gif-small.gif", rgb_image.resize((9, 7)).quantize(8), interlace=False)
    # BMP (GraphicsMagick): 24-bit, 32-bit with alpha, 8-bit palette, 1-bit.
    save("bmp-rgb24.bmp", rgb_image)
    save("bmp-rgbx32.bmp", rgba_image)  # Pillow writes and reads the fourth byte as padding
    save("bmp-palette8.bmp", rgb_image.quantize(200))
    save("bmp-bilevel.bmp", grey_image.convert("1"))
    # PNM (GraphicsMagick): PGM and PPM 8-bit, PGM 16-bit, PBM; plain (ASCII) PGM by hand.
    save("pnm-grey8.pgm", grey_image)
    save("pnm-rgb8.ppm", rgb_image)
    save("pnm-grey16.pgm", Image.fromarray(hwc(picture(1, 16)).astype("<u2")))
    save("pnm-bilevel.pbm", grey_image.convert("1"))
    with open(p("pnm-plain.pgm"), "w") as f:
        f.write("P2\n# plain\n%d %d\n255\n" % (W, H) + "\n".join(" ".join(str(v) for v in row) for row in grey[0]) + "\n")
    written.append("pnm-plain.pgm")

    for name in written:
        base = os.path.splitext(name)[0]
        if name in tiff_extra:
            array = tifffile.imread(p(name))
            ref = reference(np.moveaxis(array, 0, -1) if "planar" in name else array)
        else:
            ref = pillow_reference(p(name), always_rgb=name.endswith(".bmp"))
        np.save(p(base + ".npy"), ref)

    # ImageMagick #2835: the same RGBA picture, other colours where alpha is 0.
    a = picture(4)
    a[3, 4:12, 3:15] = 0
    b = a.copy()
    b[:3, 4:12, 3:15] = 255 - b[:3, 4:12, 3:15]
    Image.fromarray(hwc(a)).save(p("alpha-2835-a.png"))
    Image.fromarray(hwc(b)).save(p("alpha-2835-b.png"))

    # Display P3 PNG, JPEG and TIFF; the reference is Pillow's ImageCms (LittleCMS) conversion to
    # sRGB, perceptual intent, as the reader does.
    p3 = display_p3_profile()
    p3_profile = ImageCms.ImageCmsProfile(io.BytesIO(p3))
    srgb = ImageCms.createProfile("sRGB")
    for name, options in [("icc-p3.png", {}), ("icc-p3.tif", {}), ("icc-p3.webp", {"lossless": True})]:
        rgb_image.save(p(name), icc_profile=p3, **options)
        converted = ImageCms.profileToProfile(Image.open(p(name)), p3_profile, srgb,
                                              renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="RGB")
        np.save(p(os.path.splitext(name)[0] + ".npy"), reference(np.array(converted)))
    np.save(p("icc-p3-unconverted.npy"), reference(np.array(Image.open(p("icc-p3.png")).convert("RGB"))))

    # EXIF orientation 6 (rotate 90 degrees clockwise to view), and the upright pixels.
    exif = Image.Exif()
    exif[0x0112] = 6
    rgb_image.save(p("orientation-6.jpg"), quality=95, exif=exif.tobytes())
    upright = ImageOps.exif_transpose(Image.open(p("orientation-6.jpg")))
    np.save(p("orientation-6.npy"), reference(np.array(upright)))
    upright.save(p("orientation-6-upright.png"))
    # AVIF with EXIF orientation 6: Pillow writes it as an irot box (rotate 270 anti-clockwise) and
    # reads it back as orientation 6; the reference is its decode turned by exif_transpose.
    rgb_image.save(p("orientation-6.avif"), quality=90, exif=exif.tobytes())
    avif_upright = ImageOps.exif_transpose(Image.open(p("orientation-6.avif")))
    np.save(p("orientation-6-avif.npy"), reference(np.array(avif_upright)))


if __name__ == "__main__":
    main()
