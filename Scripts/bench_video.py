#!/usr/bin/env python3
"""Frames per second of `ssim ref.y4m dist.y4m --convention ffmpeg` against
`ffmpeg -lavfi ssim` on the same 1080p 8-bit 4:2:0 clip, in the same run, and a check that
every frame's numbers agree.

    Scripts/bench_video.py [--frames 120] [--runs 5] [--work DIR]

Needs Debian's ffmpeg (`apt-get install -y ffmpeg`) and builds the release `ssim`
(`swift build -c release --product ssim`). The clip is ffmpeg's testsrc2 at 1920 x 1080, and the
distorted copy the same through libx264 at CRF 32, both written as .y4m (3.1 MB a frame) in
DIR (default: a temporary folder, removed at the end). Each command runs once to warm the page
cache, then RUNS times in turn (ours, ffmpeg, ours, ...); the medians of the wall times are
printed with the frames per second. ffmpeg runs with its default threads (one per core) and
its x86 SIMD code; ssim compares as many frames at once as there are cores.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(command, **kwargs):
    return subprocess.run(command, check=True, **kwargs)


def timed(command):
    start = time.perf_counter()
    run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=120)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="ssim-bench-video-")
    os.makedirs(work, exist_ok=True)
    try:
        run(["swift", "build", "-c", "release", "--product", "ssim"], cwd=ROOT, stdout=subprocess.DEVNULL)
        binary = os.path.join(run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, capture_output=True,
                                  text=True).stdout.strip(), "ssim")
        ref, dist, mp4 = (os.path.join(work, name) for name in ("ref.y4m", "dist.y4m", "dist.mp4"))
        quiet = ["-hide_banner", "-loglevel", "error", "-y"]
        run(["ffmpeg"] + quiet + ["-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-frames:v", str(args.frames),
                                  "-pix_fmt", "yuv420p", ref])
        run(["ffmpeg"] + quiet + ["-i", ref, "-c:v", "libx264", "-crf", "32", "-preset", "veryfast", mp4])
        run(["ffmpeg"] + quiet + ["-i", mp4, "-pix_fmt", "yuv420p", dist])

        ours = [binary, ref, dist, "--convention", "ffmpeg"]
        stats = os.path.join(work, "ffmpeg.stats")
        theirs = ["ffmpeg", "-hide_banner", "-nostats", "-i", dist, "-i", ref, "-lavfi", f"ssim=stats_file={stats}",
                  "-f", "null", "-"]
        timed(ours), timed(theirs)  # warm-up: the page cache, the binaries
        times = {"ssim": [], "ffmpeg": []}
        for _ in range(args.runs):
            times["ssim"].append(timed(ours))
            times["ffmpeg"].append(timed(theirs))

        # The per-frame numbers: ours printed as FFmpeg prints them (%f) against its stats file.
        import json
        lines = run(ours + ["--json"], capture_output=True, text=True).stdout.splitlines()[:-1]
        theirs_lines = open(stats).read().splitlines()
        mismatches, largest = 0, 0.0
        for line, reference in zip(lines, theirs_lines):
            frame = json.loads(line)
            fields = dict(word.split(":", 1) for word in reference.split() if ":" in word)
            fields["dB"] = reference.split("(")[1].rstrip(")")
            for key in ("Y", "U", "V", "All", "dB"):
                printed = "%f" % frame[key] if frame[key] is not None else "inf"
                if printed != fields[key]:
                    mismatches += 1
                if key != "dB":
                    largest = max(largest, abs(frame[key] - float(fields[key])))
        assert len(lines) == len(theirs_lines) == args.frames, (len(lines), len(theirs_lines))

        print(f"{args.frames} frames 1920x1080 8-bit 4:2:0, {os.cpu_count()} cores, medians of {args.runs} runs")
        for name in ("ssim", "ffmpeg"):
            median = statistics.median(times[name])
            print(f"  {name:7s} {median:7.3f} s  {args.frames / median:7.1f} fps   (runs: "
                  + ", ".join(f"{t:.3f}" for t in times[name]) + ")")
        print(f"  ssim / ffmpeg time: {statistics.median(times['ssim']) / statistics.median(times['ffmpeg']):.2f}")
        print(f"  per-frame Y, U, V, All, dB as printed (%f): {mismatches} of {5 * len(lines)} differ; "
              f"largest |ours - ffmpeg's printed| {largest:.2e}")
        return 1 if mismatches else 0
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
