#!/usr/bin/env python3
"""Folder mode per image format: `ssim DIR_A DIR_B` on 200 pairs of 512 x 512 photograph-like
pictures, pairs per second.

    pip install pillow numpy
    swift build -c release --product ssim
    python3 Benchmarks/folder-formats/folder_formats.py [--pairs 200] [--runs 3] [--formats png,webp,...]
        [--baseline OTHER_SSIM]     # also time another build, its runs interleaved with these

Each picture is a synthetic scene (a sky gradient, hills, textured ground, a few blurred shapes
and sensor noise; seeded, a different scene per pair), the second of each pair the same scene
re-rendered with other noise and a slight blur, as a re-encode would change it. The pictures are
encoded once per format with Pillow into .build/bench-formats/FORMAT/{a,b}/ (kept between runs)
and `ssim` (release) compares the two folders; the wall time of the whole command is the median of
--runs runs. Formats: png, jpeg (quality 90), webp (quality 90), avif (quality 80, speed 8), tiff
(8-bit LZW), tiff16 (16-bit RGB, tifffile if installed), gif (256 colours), bmp, ppm.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from multiprocessing import Pool

import numpy as np
from PIL import Image, ImageFilter

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIZE = 512


def scene(seed):
    """(H, W, 3) float in [0, 1] and its slightly different re-rendering."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:SIZE, 0:SIZE] / SIZE
    sky = np.stack([0.35 + 0.3 * y, 0.55 + 0.25 * y, 0.9 - 0.1 * y], -1) * rng.uniform(0.8, 1.1)
    horizon = 0.45 + 0.1 * np.sin(x * rng.uniform(3, 9) + rng.uniform(0, 6)) + 0.05 * np.sin(x * 23)
    coarse = rng.random((SIZE // 32, SIZE // 32))
    texture = np.asarray(Image.fromarray((coarse * 255).astype(np.uint8)).resize((SIZE, SIZE), Image.BICUBIC)) / 255
    ground_colour = rng.uniform(0.2, 0.6, 3)
    ground = ground_colour * (0.6 + 0.5 * texture[..., None]) * (0.7 + 0.3 * y[..., None])
    image = np.where((y > horizon)[..., None], ground, sky)
    for _ in range(rng.integers(3, 8)):
        cx, cy, r = rng.uniform(0, 1), rng.uniform(0.3, 1), rng.uniform(0.03, 0.15)
        mask = ((x - cx) ** 2 + (y - cy) ** 2 < r * r)[..., None]
        image = np.where(mask, rng.uniform(0, 1, 3) * (0.8 + 0.2 * texture[..., None]), image)
    clean = Image.fromarray((np.clip(image, 0, 1) * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.2))
    base = np.asarray(clean) / 255
    a = np.clip(base + rng.normal(0, 0.02, base.shape), 0, 1)
    b = np.asarray(clean.filter(ImageFilter.GaussianBlur(0.8))) / 255
    b = np.clip(b + rng.normal(0, 0.025, base.shape), 0, 1)
    return a, b


def save(array, path, fmt):
    if fmt == "tiff16":
        import tifffile
        tifffile.imwrite(path, np.round(array * 65535).astype(np.uint16), photometric="rgb", compression="zlib")
        return
    image = Image.fromarray(np.round(array * 255).astype(np.uint8))
    options = {"jpeg": {"quality": 90}, "webp": {"quality": 90}, "avif": {"quality": 80, "speed": 8},
               "tiff": {"compression": "tiff_lzw"}}.get(fmt, {})
    if fmt == "gif":
        image = image.quantize(256)
    image.save(path, **options)


EXTENSIONS = {"png": "png", "jpeg": "jpg", "webp": "webp", "avif": "avif", "tiff": "tif", "tiff16": "tif",
              "gif": "gif", "bmp": "bmp", "ppm": "ppm"}


def make_pair(job):
    seed, fmt, folder = job
    a, b = scene(seed)
    name = "%03d.%s" % (seed, EXTENSIONS[fmt])
    for side, picture in (("a", a), ("b", b)):
        path = os.path.join(folder, side, name)
        if not os.path.exists(path):
            save(picture, path, fmt)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default=",".join(EXTENSIONS))
    parser.add_argument("--ssim", default=os.path.join(ROOT, ".build/release/ssim"))
    parser.add_argument("--baseline", help="another ssim binary, timed in turn with --ssim on each run")
    args = parser.parse_args()
    if not os.path.exists(args.ssim):
        sys.exit("build it first: swift build -c release --product ssim")
    print("load average before: %.2f (%d cores)" % (os.getloadavg()[0], os.cpu_count()))
    extra = " baseline pairs/s (median) | baseline pairs/s (best run) |" if args.baseline else ""
    print("| format | pairs | median wall time (s) | pairs/s (median) | pairs/s (best run) |%s bytes per file (mean) |"
          % extra)
    print("|---|---|---|---|---|---|" + ("---|---|" if args.baseline else ""))
    for fmt in args.formats.split(","):
        folder = os.path.join(ROOT, ".build/bench-formats", fmt)
        for side in "ab":
            os.makedirs(os.path.join(folder, side), exist_ok=True)
        with Pool() as pool:
            pool.map(make_pair, [(seed, fmt, folder) for seed in range(args.pairs)])
        times, baseline = [], []
        for _ in range(args.runs):
            for binary, into in [(args.ssim, times)] + ([(args.baseline, baseline)] if args.baseline else []):
                start = time.perf_counter()
                done = subprocess.run([binary, os.path.join(folder, "a"), os.path.join(folder, "b")],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                into.append(time.perf_counter() - start)
                if done.returncode != 0:
                    sys.exit("%s failed on %s: %s" % (binary, fmt, done.stderr[-500:]))
        files = [os.path.join(folder, "a", n) for n in os.listdir(os.path.join(folder, "a"))]
        size = sum(os.path.getsize(f) for f in files) / len(files)
        median = statistics.median(times)
        columns = " %.1f | %.1f |" % (args.pairs / statistics.median(baseline), args.pairs / min(baseline)) if baseline else ""
        print("| %s | %d | %.2f | %.1f | %.1f |%s %d |" % (fmt, args.pairs, median, args.pairs / median,
                                                      args.pairs / min(times), columns, size), flush=True)
    print("load average after: %.2f" % os.getloadavg()[0])


if __name__ == "__main__":
    main()
