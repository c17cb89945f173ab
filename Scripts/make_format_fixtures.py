#!/usr/bin/env python3
"""Writes the small PNG and .npy files the SSIMFormats tests read.

    python3 Scripts/make_format_fixtures.py [output-directory]

PNGs are assembled with the standard library (zlib, struct) so that every colour type, bit
depth, palette, tRNS, gAMA and Adam7 case is exactly what the tests expect. .npy files are
written by numpy itself (numpy.save, numpy.lib.format.write_array), so the tests check the
reader against the real thing. The sample values follow the formulas below, which the tests
(Tests/SSIMFormatsTests/Fixtures.swift) repeat.
"""
import os
import struct
import sys
import zlib

import numpy as np

WIDTH, HEIGHT = 5, 4


def v8(x, y, c):
    return (x * 37 + y * 71 + c * 101) % 256


def v16(x, y, c):
    return (x * 4001 + y * 10007 + c * 20011) % 65536


def palette_entry(i):
    return (i * 15 % 256, 255 - i * 15 % 256, i * 7 % 256)


def palette_index(x, y, entries):
    return (x + y * WIDTH) % entries


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def pack_row(samples, depth):
    """Packs a row of samples of `depth` bits, big-endian, as PNG stores them."""
    if depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    if depth == 8:
        return bytes(samples)
    per_byte = 8 // depth
    out = bytearray()
    for start in range(0, len(samples), per_byte):
        group = samples[start:start + per_byte]
        byte = 0
        for i, s in enumerate(group):
            byte |= s << (8 - depth * (i + 1))
        out.append(byte)
    return bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png(path, color_type, depth, pixel, extra=b"", interlaced=False):
    """pixel(x, y) returns the list of samples of one pixel."""
    if interlaced:
        raw = b""
        for x0, y0, dx, dy in ADAM7:
            xs, ys = range(x0, WIDTH, dx), range(y0, HEIGHT, dy)
            if not xs or not ys:
                continue
            for y in ys:
                raw += b"\0" + pack_row([s for x in xs for s in pixel(x, y)], depth)
    else:
        raw = b"".join(b"\0" + pack_row([s for x in range(WIDTH) for s in pixel(x, y)], depth)
                       for y in range(HEIGHT))
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, depth, color_type, 0, 0, 1 if interlaced else 0)
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(data)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "Tests/SSIMFormatsTests/Fixtures"
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)

    png(p("grey16.png"), 0, 16, lambda x, y: [v16(x, y, 0)])
    png(p("rgb16.png"), 2, 16, lambda x, y: [v16(x, y, c) for c in range(3)])
    # gAMA 1/2.2 must not change the samples: they are read as stored.
    png(p("rgba16-gamma.png"), 6, 16, lambda x, y: [v16(x, y, c) for c in range(3)] + [x * 9000],
        extra=chunk(b"gAMA", struct.pack(">I", 45455)))
    png(p("grey-alpha8.png"), 4, 8, lambda x, y: [v8(x, y, 0), 255 - v8(x, y, 1)])
    png(p("rgba8.png"), 6, 8, lambda x, y: [v8(x, y, c) for c in range(3)] + [x * 60])
    png(p("rgb8-interlaced.png"), 2, 8, lambda x, y: [v8(x, y, c) for c in range(3)], interlaced=True)
    png(p("grey1.png"), 0, 1, lambda x, y: [(x + y) % 2])
    png(p("grey8-trns.png"), 0, 8, lambda x, y: [v8(x, y, 0)], extra=chunk(b"tRNS", struct.pack(">H", 37)))
    plte = lambda n: chunk(b"PLTE", b"".join(bytes(palette_entry(i)) for i in range(n)))
    png(p("palette8.png"), 3, 8, lambda x, y: [palette_index(x, y, 20)], extra=plte(20))
    png(p("palette4-trns.png"), 3, 4, lambda x, y: [palette_index(x, y, 11)],
        extra=plte(11) + chunk(b"tRNS", bytes([0, 128, 255])))

    np.save(p("f4-rank2.npy"), (np.arange(12, dtype="<f4").reshape(3, 4) / 8))
    np.save(p("f8-rank3.npy"), np.arange(24, dtype="<f8").reshape(2, 3, 4) * 0.5 - 3)
    np.save(p("u1-rank2.npy"), (np.arange(6, dtype="u1").reshape(2, 3) * 40).astype("u1"))
    with open(p("f4-rank5-v2.npy"), "wb") as f:
        np.lib.format.write_array(f, np.arange(12, dtype="<f4").reshape(1, 1, 2, 2, 3), version=(2, 0))
    with open(p("f8-rank4-v3.npy"), "wb") as f:
        np.lib.format.write_array(f, np.arange(6, dtype="<f8").reshape(1, 2, 1, 3), version=(3, 0))
    np.save(p("i8.npy"), np.arange(6, dtype="<i8").reshape(2, 3))
    np.save(p("fortran.npy"), np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
    np.save(p("big-endian.npy"), np.arange(6, dtype=">f4").reshape(2, 3))
    np.save(p("f4-rank1.npy"), np.arange(3, dtype="<f4"))


if __name__ == "__main__":
    main()
