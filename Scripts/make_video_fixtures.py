#!/usr/bin/env python3
"""Writes the video fixtures of Tests/ssimTests/Fixtures/video: small YUV4MPEG2 clips and PNG
stills (numpy), and what Debian's ffmpeg (`apt-get install -y ffmpeg`; 5.1.x when written) says
of them with `-lavfi ssim`.

    Scripts/make_video_fixtures.py          (numpy and ffmpeg on the PATH; the tests need neither)

For each case NAME: NAME.ref.y4m and NAME.dist.y4m (or .png), and
  NAME.stats     ffmpeg -i dist -i ref -lavfi ssim=stats_file=NAME.stats -f null -   (as installed:
                 on x86-64, its SSE4 ssim_end_line)
  NAME.c-stats   the same with -cpuflags 0: FFmpeg's C code
  NAME.summary   the 'SSIM Y:... All:... (dB)' line ffmpeg logs at the end (C code)
The cases cover 4:2:0, 4:2:2, 4:4:4 and mono, 8, 10 and 12 bits, odd and even sizes, identical
frames (dB inf), and sizes where FFmpeg's SSE4 code and its C code disagree (a plane whose
floor(W / 4) - 1 windows per row leave 1 mod 4: see Documentation/CommandLine.md).
"""
import os
import re
import subprocess
import sys

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ssimTests", "Fixtures", "video")

# name, width, height, chroma, bit depth, frames, noise (fraction of the range; 0: identical)
CLIPS = [
    ("c420-8-64x48", 64, 48, "420", 8, 4, 0.04),
    ("c420-8-37x29", 37, 29, "420", 8, 3, 0.06),
    ("c422-8-50x34", 50, 34, "422", 8, 3, 0.05),   # chroma 25 wide: 5 windows a row, SSE4 differs
    ("c444-8-24x20", 24, 20, "444", 8, 3, 0.05),   # 5 windows a row in every plane, SSE4 differs
    ("c420-10-40x36", 40, 36, "420", 10, 3, 0.04),
    ("c422-10-33x27", 33, 27, "422", 10, 3, 0.05),
    ("c444-10-24x24", 24, 24, "444", 10, 2, 0.05),
    ("mono-8-30x22", 30, 22, "mono", 8, 2, 0.05),
    ("c420-8-32x32-same", 32, 32, "420", 8, 2, 0.0),
    ("c420-12-36x20", 36, 20, "420", 12, 2, 0.05),
]
# name, pixel format written by ffmpeg, channels, bit depth (ffmpeg compares them as gbrp, gray, gbrp16le, gray16le)
STILLS = [("rgb8", "rgb24", 3, 8), ("gray8", "gray", 1, 8), ("rgba8", "rgba", 4, 8), ("rgb16", "rgb48le", 3, 16),
          ("gray16", "gray16le", 1, 16)]
STILL_SIZE = (61, 45)


def plane_sizes(w, h, chroma):
    if chroma == "mono":
        return [(w, h)]
    cw, ch = {"420": ((w + 1) // 2, (h + 1) // 2), "422": ((w + 1) // 2, h), "444": (w, h)}[chroma]
    return [(w, h), (cw, ch), (cw, ch)]


def picture(rng, w, h, maximum, phase):
    """A smooth pattern with some texture, in [0, maximum]."""
    yy, xx = np.mgrid[0:h, 0:w]
    p = (np.sin(xx / 3.1 + phase) * 0.25 + np.cos(yy / 4.7 - phase) * 0.2 + 0.5) * maximum
    return p + rng.normal(0, maximum * 0.03, (h, w))


def quantise(p, maximum):
    return np.clip(np.rint(p), 0, maximum).astype(np.int64)


def write_y4m(path, frames, w, h, chroma, depth):
    tag = {"420": "420jpeg", "422": "422", "444": "444", "mono": "mono"}[chroma]
    if depth > 8:
        tag = {"420": "420p", "422": "422p", "444": "444p", "mono": "mono"}[chroma] + str(depth)
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F25:1 Ip A1:1 C{tag}\n".encode())
        for planes in frames:
            f.write(b"FRAME\n")
            for p in planes:
                f.write(p.astype("<u2" if depth > 8 else "u1").tobytes())


def ffmpeg_ssim(dist, ref, stats, c_code):
    flags = ["-cpuflags", "0"] if c_code else []
    run = subprocess.run(["ffmpeg", "-hide_banner", "-nostats"] + flags + ["-i", dist, "-i", ref, "-lavfi",
                          f"ssim=stats_file={stats}", "-f", "null", "-"], capture_output=True, text=True, check=True)
    return [line[line.index("SSIM "):] for line in run.stderr.splitlines() if re.search(r"\] SSIM ", line)][0]


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(18)
    for name, w, h, chroma, depth, count, noise in CLIPS:
        maximum = (1 << depth) - 1
        ref, dist = [], []
        for n in range(count):
            r = [quantise(picture(rng, pw, ph, maximum, n + i), maximum) for i, (pw, ph) in enumerate(plane_sizes(w, h, chroma))]
            d = [quantise(p + rng.normal(0, maximum * noise, p.shape) + n, maximum) if noise else p.copy() for p in r]
            ref.append(r)
            dist.append(d)
        base = os.path.join(OUT, name)
        write_y4m(base + ".ref.y4m", ref, w, h, chroma, depth)
        write_y4m(base + ".dist.y4m", dist, w, h, chroma, depth)
        ffmpeg_ssim(base + ".dist.y4m", base + ".ref.y4m", base + ".stats", c_code=False)
        summary = ffmpeg_ssim(base + ".dist.y4m", base + ".ref.y4m", base + ".c-stats", c_code=True)
        with open(base + ".summary", "w") as f:
            f.write(summary + "\n")
    w, h = STILL_SIZE
    for name, fmt, channels, depth in STILLS:
        maximum = (1 << depth) - 1
        a = np.stack([quantise(picture(rng, w, h, maximum, c), maximum) for c in range(channels)], -1)
        b = quantise(a + rng.normal(0, maximum * 0.04, a.shape), maximum)
        base = os.path.join(OUT, name)
        for suffix, pixels in (("ref", a), ("dist", b)):
            raw = base + ".raw"
            pixels.astype("<u2" if depth > 8 else "u1").tofile(raw)
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", fmt, "-s", f"{w}x{h}", "-i", raw,
                            f"{base}.{suffix}.png"], check=True)
            os.remove(raw)
        ffmpeg_ssim(base + ".dist.png", base + ".ref.png", base + ".stats", c_code=False)
        summary = ffmpeg_ssim(base + ".dist.png", base + ".ref.png", base + ".c-stats", c_code=True)
        with open(base + ".summary", "w") as f:
            f.write(summary + "\n")
    version = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True).stdout.splitlines()[0]
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write("# Video fixtures\n\nWritten by `Scripts/make_video_fixtures.py` with numpy " + np.__version__
                + " and `" + version + "` (Debian).\nDo not edit: run the script again.\n")
    print("wrote", OUT, file=sys.stderr)


if __name__ == "__main__":
    main()
