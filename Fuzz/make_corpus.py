#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets: Fuzz/Corpus/{png,jpeg,npy,options}/.

Small valid files covering the paths of each reader. Needs NumPy and Pillow; the committed
files are what it wrote, so the fuzz script does not run it. Run: python3 Fuzz/make_corpus.py
"""
import io
import os
import struct
import zlib

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240611)


def out(target, name, data):
    folder = os.path.join(HERE, "Corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# --- PNG: written by hand so every colour type, bit depth and interlacing is covered.
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width, height, bit_depth, colour_type, rows, interlace=0, extra=b""):
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, interlace)
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on each row
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def samples(width, height, channels, dtype):
    top = np.iinfo(dtype).max
    return rng.integers(0, top + 1, size=(height, width * channels), dtype=np.uint64).astype(dtype)


def rows_of(array, big_endian=True):
    return [row.astype(">u2").tobytes() if array.dtype == np.uint16 else row.tobytes() for row in array]


w, h = 7, 5
out("png", "grey8.png", png(w, h, 8, 0, rows_of(samples(w, h, 1, np.uint8))))
out("png", "grey16.png", png(w, h, 16, 0, rows_of(samples(w, h, 1, np.uint16))))
out("png", "grey2.png", png(8, 3, 2, 0, [bytes([0x1B, 0xE4]) for _ in range(3)]))
out("png", "rgb8.png", png(w, h, 8, 2, rows_of(samples(w, h, 3, np.uint8))))
out("png", "rgb16.png", png(3, 2, 16, 2, rows_of(samples(3, 2, 3, np.uint16))))
out("png", "rgba8.png", png(w, h, 8, 6, rows_of(samples(w, h, 4, np.uint8))))
out("png", "grey-alpha16.png", png(3, 2, 16, 4, rows_of(samples(3, 2, 2, np.uint16))))
def adam7_rows(array, channels):
    """The rows of the seven Adam7 passes, in order (each pass's rows get their own filter byte)."""
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    pixels = array.reshape(array.shape[0], -1, channels)
    rows = []
    for x0, y0, dx, dy in passes:
        sub = pixels[y0::dy, x0::dx]
        if sub.shape[0] and sub.shape[1]:
            rows += [row.tobytes() for row in sub.reshape(sub.shape[0], -1)]
    return rows


out("png", "rgb8-adam7.png", png(9, 9, 8, 2, adam7_rows(samples(9, 9, 3, np.uint8), 3), interlace=1))
palette = chunk(b"PLTE", bytes(range(12))) + chunk(b"tRNS", b"\x00\x80")
out("png", "palette4-trns.png", png(4, 2, 4, 3, [b"\x01\x23", b"\x32\x10"], extra=palette))
out("png", "grey8-gamma-text.png", png(2, 2, 8, 0, [b"\x00\xff", b"\x80\x40"],
                                       extra=chunk(b"gAMA", struct.pack(">I", 45455))
                                       + chunk(b"tEXt", b"Comment\x00fuzz seed")))

# --- JPEG: through Pillow (libjpeg), grey and colour, baseline and progressive, subsampling.
def jpeg(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


rgb = Image.fromarray(rng.integers(0, 256, size=(12, 17, 3), dtype=np.uint8), "RGB")
grey = Image.fromarray(rng.integers(0, 256, size=(9, 8), dtype=np.uint8), "L")
out("jpeg", "grey.jpg", jpeg(grey, quality=75))
out("jpeg", "rgb-420.jpg", jpeg(rgb, quality=75, subsampling=2))
out("jpeg", "rgb-444.jpg", jpeg(rgb, quality=90, subsampling=0))
out("jpeg", "rgb-progressive.jpg", jpeg(rgb, quality=60, progressive=True))
out("jpeg", "grey-progressive-optimized.jpg", jpeg(grey, quality=50, progressive=True, optimize=True))
out("jpeg", "cmyk.jpg", jpeg(Image.fromarray(rng.integers(0, 256, size=(4, 4, 4), dtype=np.uint8), "CMYK")))
out("jpeg", "rgb-restart.jpg", jpeg(rgb, quality=75, restart_marker_blocks=1))

# --- .npy: what numpy.save writes, versions 1.0, 2.0 and 3.0, the dtypes and ranks read.
def npy(array, version=None):
    buffer = io.BytesIO()
    if version is None:
        np.save(buffer, array)
    else:
        np.lib.format.write_array(buffer, array, version=version)
    return buffer.getvalue()


out("npy", "f4-rank2-v1.npy", npy(rng.random((3, 4), dtype=np.float32)))
out("npy", "f8-rank3-v1.npy", npy(rng.random((2, 2, 3))))
out("npy", "u1-rank2-v1.npy", npy(rng.integers(0, 256, size=(2, 5), dtype=np.uint8)))
out("npy", "f4-rank4-v2.npy", npy(rng.random((1, 2, 2, 2), dtype=np.float32), version=(2, 0)))
out("npy", "f8-rank5-v3.npy", npy(rng.random((1, 1, 2, 1, 2)), version=(3, 0)))
out("npy", "f4-fortran.npy", npy(np.asfortranarray(rng.random((1, 3), dtype=np.float32))))
out("npy", "f4-empty.npy", npy(np.zeros((0, 3), dtype=np.float32)))

# --- Options: the ssim command's arguments, separated by NUL bytes.
for name, arguments in {
    "two-files": ["a.png", "b.png"],
    "settings": ["--window-size", "7", "--max-value", "255", "--eps=1e-8", "a.npy", "b.npy"],
    "choices": ["--padding=valid", "--reduction", "none", "--json", "a.jpg", "b.jpg"],
    "outputs": ["a.png", "--map", "m.png", "--loss-map=l.npy", "--grad", "g.npy", "b.png"],
    "demo": ["demo", "--output", "out"],
    "help": ["-h", "--version"],
    "dashdash": ["--", "-x", "-", "--json"],
}.items():
    out("options", name, b"\x00".join(argument.encode() for argument in arguments))

# --- YUV4MPEG2: every chroma layout, 8 and 10 bits, odd sizes, frame parameters and extensions.
def y4m(header, planes_per_frame, frames, depth):
    data = (header + "\n").encode()
    for _ in range(frames):
        data += b"FRAME\n"
        for width, height in planes_per_frame:
            top = (1 << depth) - 1
            values = rng.integers(0, top + 1, size=(height, width))
            data += values.astype("<u2" if depth > 8 else "u1").tobytes()
    return data


out("y4m", "c420-8x8.y4m", y4m("YUV4MPEG2 W8 H8 F25:1 Ip A1:1 C420jpeg", [(8, 8), (4, 4), (4, 4)], 2, 8))
out("y4m", "c420-odd.y4m", y4m("YUV4MPEG2 W9 H11 F30000:1001 C420mpeg2 XYSCSS=420MPEG2", [(9, 11), (5, 6), (5, 6)], 1, 8))
out("y4m", "c422p10.y4m", y4m("YUV4MPEG2 W10 H8 C422p10 XYSCSS=422P10", [(10, 8), (5, 8), (5, 8)], 2, 10))
out("y4m", "c444-16x8.y4m", y4m("YUV4MPEG2 W16 H8 C444", [(16, 8)] * 3, 1, 8))
out("y4m", "mono12.y4m", y4m("YUV4MPEG2 W8 H9 Cmono12", [(8, 9)], 2, 12))
out("y4m", "default-chroma.y4m", y4m("YUV4MPEG2 H8 W12", [(12, 8), (6, 4), (6, 4)], 1, 8))
