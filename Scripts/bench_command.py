#!/usr/bin/env python3
"""The `ssim` command end to end against other tools on the same RGB PNG pairs: whole processes,
decoding included, medians of interleaved runs.

    pip install pillow numpy                       # to make the pairs (and scikit-image for its row)
    swift build -c release --product ssim
    python3 Scripts/bench_command.py [--sizes 512,1024,2048,4096] [--runs 5]
        [--skimage-python /path/to/venv/bin/python]   # a Python with scikit-image (default: this one)
        [--baseline OTHER_SSIM]                        # also time another build of ssim, interleaved
        [--outputs]                                    # also time --map heat.png, --map map.npy, --loss-map, --grad
                                                       # (the baseline's too, with --baseline)
                                                       # and the floor of each: its bytes written durably

For each size N the script writes a pair of N x N RGB PNGs into .build/bench-command/ (kept between
runs; seeded: a smooth random picture with sensor noise, the second blurred slightly and with
other noise), then times, in turn on every run (A B C A B C ...), after one warm-up run each:

- `ssim A.png B.png` (release build; Kornia's SSIM on RGB, the default),
- `ffmpeg -i A.png -i B.png -lavfi ssim -f null -` (FFmpeg's SSIM filter, 8 x 8 windows),
- a scikit-image script: both files read with Pillow, `structural_similarity(a, b,
  channel_axis=-1, data_range=255)` (7 x 7 uniform windows), the interpreter's start-up included,
- ImageMagick 7's `magick compare -metric SSIM A.png B.png null:` when `magick` is on PATH
  (ImageMagick 6, Debian's, has no SSIM metric; the script says so and leaves the column out).

With `--outputs`, each output's floor is timed in the same rounds: as many bytes as the output
file has (read back after the warm-up), written the way `OutputFile` writes them (a new temporary
file beside it, `write`, `fsync`, `close`, `rename`), in this Python process; its table shows
each output's cost over the plain comparison and what is left of it beyond that floor.

It prints the median wall time of each tool in ms, the ratio of each to `ssim` (higher: ssim is
faster), the median CPU time (user + system) of `ssim` and FFmpeg, then the median CPU time of
every tool, and the load average before and after, since on a shared machine the wall times move
with the other work (the CPU times much less).
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDER = os.path.join(ROOT, ".build", "bench-command")

SKIMAGE_SCRIPT = """
import sys
import numpy as np
from PIL import Image
from skimage.metrics import structural_similarity
a = np.asarray(Image.open(sys.argv[1]).convert("RGB"))
b = np.asarray(Image.open(sys.argv[2]).convert("RGB"))
print(structural_similarity(a, b, channel_axis=-1, data_range=255))
"""


# The outputs --outputs times: the option and the file it writes.
OUTPUTS = [("--map", "heat.png"), ("--map", "map.npy"), ("--loss-map", "loss.npy"), ("--grad", "grad.npy")]


def make_pair(size):
    """Writes a{size}.png and b{size}.png (once) and returns their paths."""
    paths = [os.path.join(FOLDER, f"{name}{size}.png") for name in "ab"]
    if all(os.path.exists(p) for p in paths):
        return paths
    import numpy as np
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(size)
    coarse = (rng.random((max(2, size // 32), max(2, size // 32), 3)) * 255).astype(np.uint8)
    base = Image.fromarray(coarse).resize((size, size), Image.BICUBIC)
    a = np.asarray(base, dtype=np.float32) + rng.normal(0, 6, (size, size, 3))
    b = np.asarray(base.filter(ImageFilter.GaussianBlur(0.8)), dtype=np.float32) + rng.normal(0, 7, (size, size, 3))
    os.makedirs(FOLDER, exist_ok=True)
    for array, path in zip((a, b), paths):
        Image.fromarray(np.clip(array, 0, 255).astype(np.uint8)).save(path)
    return paths


def run(command):
    """Wall seconds and CPU seconds (user + system) of one run of the command, its output dropped."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"failed ({status}): {' '.join(command)}")
    return wall, usage.ru_utime + usage.ru_stime


def durable_write(data, path):
    """Wall seconds and CPU seconds (this process's user + system) of writing `data` to `path` as
    OutputFile does: a new temporary file in the same folder, every byte written, fsync, close,
    rename over `path`."""
    temporary = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.floor.tmp")
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]
    os.fsync(descriptor)
    os.close(descriptor)
    os.rename(temporary, path)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="512,1024,2048,4096")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ssim", default=os.path.join(ROOT, ".build", "release", "ssim"))
    parser.add_argument("--baseline", help="another ssim binary, timed in turn with --ssim")
    parser.add_argument("--skimage-python", default=sys.executable)
    parser.add_argument("--outputs", action="store_true", help="also time --map heat.png, --map map.npy, --loss-map and --grad at each size")
    args = parser.parse_args()

    has_skimage = subprocess.run(
        [args.skimage_python, "-c", "import skimage, PIL"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    ).returncode == 0
    magick = shutil.which("magick")
    if not magick:
        print("ImageMagick 7 (`magick`) not on PATH: no ImageMagick column (ImageMagick 6's compare has no SSIM metric)")
    if not has_skimage:
        print(f"{args.skimage_python} has no scikit-image: no scikit-image column (pass --skimage-python)")
    skimage_script = os.path.join(FOLDER, "skimage_ssim.py")
    os.makedirs(FOLDER, exist_ok=True)
    with open(skimage_script, "w") as f:
        f.write(SKIMAGE_SCRIPT)

    print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        a, b = make_pair(size)
        out = os.path.join(FOLDER, "out")
        tools = {"ssim": [args.ssim, a, b]}
        if args.baseline:
            tools["baseline"] = [args.baseline, a, b]
        if args.outputs:
            for option, file in OUTPUTS:
                tools[f"ssim {option} {file}"] = [args.ssim, a, b, option, f"{out}-{file}"]
                if args.baseline:
                    tools[f"baseline {option} {file}"] = [args.baseline, a, b, option, f"{out}-baseline-{file}"]
        tools["ffmpeg"] = ["ffmpeg", "-v", "error", "-nostdin", "-i", a, "-i", b, "-lavfi", "ssim", "-f", "null", "-"]
        if has_skimage:
            tools["scikit-image"] = [args.skimage_python, skimage_script, a, b]
        if magick:
            tools["ImageMagick 7"] = [magick, "compare", "-metric", "SSIM", a, b, "null:"]
        times = {name: [] for name in tools}
        for name, command in tools.items():
            run(command)  # warm-up: the files in the page cache, the libraries loaded once
        # The floor of each output: its file's bytes (as the warm-up wrote them), written durably.
        floors = {}
        if args.outputs:
            for name, command in tools.items():
                if " --" in name:
                    with open(command[-1], "rb") as f:
                        floors[name] = (f.read(), command[-1] + ".floor")
                    times[name + " floor"] = []
        for _ in range(args.runs):
            for name, command in tools.items():
                times[name].append(run(command))
                if name in floors:
                    times[name + " floor"].append(durable_write(*floors[name]))
        medians = {name: statistics.median(w for w, _ in values) for name, values in times.items()}
        cpu = {name: statistics.median(c for _, c in values) for name, values in times.items()}
        rows.append((size, medians, cpu))
        print(f"{size} x {size}: " + ", ".join(f"{name} {1000 * t:.0f} ms" for name, t in medians.items()), flush=True)
        if floors:
            print("    floors: " + ", ".join(f"{name} {len(data)} bytes" for name, (data, _) in floors.items()))
            for _, path in floors.values():
                os.remove(path)

    names = [n for n in rows[0][1] if not n.endswith(" floor")]
    print()
    print("| size | " + " | ".join(f"{n} (ms)" for n in names) + " | ffmpeg / ssim | ssim CPU (ms) | ffmpeg CPU (ms) |")
    print("|---" * (len(names) + 4) + "|")
    for size, medians, cpu in rows:
        cells = [f"{1000 * medians[n]:.0f}" for n in names]
        ratio = medians["ffmpeg"] / medians["ssim"]
        print(f"| {size}^2 | " + " | ".join(cells) + f" | {ratio:.2f} | {1000 * cpu['ssim']:.0f} | {1000 * cpu['ffmpeg']:.0f} |")
    print()
    print("| size | " + " | ".join(f"{n} CPU (ms)" for n in names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for size, _, cpu in rows:
        print(f"| {size}^2 | " + " | ".join(f"{1000 * cpu[n]:.0f}" for n in names) + " |")
    for binary in ["ssim", "baseline"] if args.baseline else ["ssim"]:
        outputs = [n for n in names if n.startswith(binary + " --")]
        if not outputs:
            continue
        print()
        print(f"Outputs of {binary}, wall ms (CPU ms): the output's run, its cost over the plain comparison, the floor (its")
        print("bytes written durably), and what is left beyond the floor (output - plain - floor)")
        print()
        print("| size | plain | " + " | ".join(f"{n[len(binary) + 1:]} | over plain | floor | beyond floor" for n in outputs) + " |")
        print("|---" * (2 + 4 * len(outputs)) + "|")
        for size, medians, cpu in rows:
            cells = [f"{1000 * medians[binary]:.0f} ({1000 * cpu[binary]:.0f})"]
            for n in outputs:
                over = medians[n] - medians[binary]
                floor = medians[n + " floor"]
                cells += [
                    f"{1000 * medians[n]:.0f} ({1000 * cpu[n]:.0f})",
                    f"{1000 * over:+.0f}, {100 * over / medians[binary]:+.0f} % ({1000 * (cpu[n] - cpu[binary]):+.0f})",
                    f"{1000 * floor:.0f} ({1000 * cpu[n + ' floor']:.0f})",
                    f"{1000 * (over - floor):+.0f}",
                ]
            print(f"| {size}^2 | " + " | ".join(cells) + " |")
    print(f"\nload average after: {os.getloadavg()[0]:.2f}; {args.runs} runs of each, interleaved, medians")


if __name__ == "__main__":
    main()
