#!/usr/bin/env python3
"""Times Kornia 0.9.0's SSIM and this package's, on the same cases, in one run on one machine.

For every case of the Swift benchmark (Benchmarks/ssim-benchmark; `ssim-benchmark --list`
names them) the script times Kornia on CPU with the same shape, dtype, window and padding:

    map        kornia.metrics.ssim(x, y, window_size, padding=...)
    loss       kornia.losses.ssim_loss(x, y, window_size, reduction="mean", padding=...)
    loss+grad  the loss, then loss.backward() with requires_grad on x (torch autograd)
    ms-ssim    kornia.losses.MS_SSIMLoss()(x, y) (Kornia's defaults: sigmas 0.5..8, 33 taps)
    ms-ssim+grad  the MS-SSIM loss, then loss.backward() with requires_grad on x
    ms-ssim-exact  MS_SSIMLoss with its mask buffer rebuilt in float64 (Swift: masks .exact)
    multiscale-ssim       Wang's MS-SSIM: pytorch_msssim.ms_ssim(x, y, data_range=255,
                          size_average=False) (the peer of the Swift preset .pytorchMSSSIM)
    multiscale-ssim+grad  its mean 1 - MS-SSIM, then loss.backward() (torch autograd)

(for the rank-5 volume cases, kornia.metrics.ssim3d and kornia.losses.ssim3d_loss).

Each Kornia case runs once to warm up, then at least --min-runs times and until the timed runs
add up to --min-time seconds; the median is reported. torch uses every core
(torch.set_num_threads(os.cpu_count()); the count is printed). Inputs are seeded uniform
random pixels in [0, 1] (different draws from Swift's; the time does not depend on them).

Then it builds the Swift benchmark in release mode, runs all the selected cases in one process
with --json (timings), runs every case again in a fresh process (`--case NAME`) to read that
case's own peak resident memory (VmHWM), and prints:

- the machine (CPU model from /proc/cpuinfo, core count), the date, the load average before
  and after, the torch, kornia and Swift versions;
- a table: case, Kornia median ms, Swift median ms, ratio Kornia / Swift (above 1: Swift is
  faster), Swift peak MiB from the fresh process, both minima, and the share of the CPU other
  processes took while each side timed the case;
- how much CPU other processes took while each side was timed (from /proc/stat and
  getrusage): the timings are only trustworthy when that is near 0;
- the memory bar of the spec for each case: peak RSS at most 1.25 x (inputs + output) + 32 MiB
  for a forward (map, loss), 1.5 x (inputs + outputs) + 32 MiB for loss+grad.

Timings are only meaningful on an otherwise idle machine: check the other processes' CPU use
it prints. A case timed while other processes took more than --busy-percent of the CPU is
timed again (up to --retries times; for Swift in a fresh `--case` process) and the least
disturbed attempt is kept.

Setting up Python (once):

    python3 -m venv /tmp/kenv && /tmp/kenv/bin/pip install torch kornia==0.9.0 pytorch-msssim==1.0.0

Running (from anywhere; about 5 minutes on 2 cores):

    /tmp/kenv/bin/python Scripts/compare_kornia_speed.py
    /tmp/kenv/bin/python Scripts/compare_kornia_speed.py --cases 'headline-*,window-*'
    /tmp/kenv/bin/python Scripts/compare_kornia_speed.py --scratch-path /tmp/bench-build
"""

import argparse
import datetime
import fnmatch
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
MIB = 1 << 20


def machine_description():
    model, processors = "unknown CPU", 0
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name") and model == "unknown CPU":
                    model = line.split(":", 1)[1].strip()
                if line.startswith("processor"):
                    processors += 1
    except OSError:
        pass
    return f"{model}, {processors or os.cpu_count()} cores ({platform.system()} {platform.machine()})"


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "n/a"


class OtherLoad:
    """CPU time that other processes took while a phase ran: the machine's busy time
    (/proc/stat) minus this process's and its children's (getrusage). Timings are trustworthy
    only when it is near 0."""

    def __init__(self):
        self.start = self.sample()

    @staticmethod
    def sample():
        try:
            with open("/proc/stat") as f:
                fields = [int(v) for v in f.readline().split()[1:]]
            # user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
            busy = (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None
        own = 0.0
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
            usage = resource.getrusage(who)
            own += usage.ru_utime + usage.ru_stime
        return busy, own, time.perf_counter()

    def measure(self):
        """(CPU seconds other processes took, core-seconds that passed), or None."""
        end = self.sample()
        if self.start is None or end is None:
            return None
        busy, own, wall = (e - s for e, s in zip(end, self.start))
        return max(busy - own, 0.0), wall * (os.cpu_count() or 1)

    def describe(self):
        measured = self.measure()
        if measured is None:
            return "n/a"
        others, capacity = measured
        return f"{others:.1f} CPU-s of {capacity:.0f} core-s ({100 * others / max(capacity, 1e-9):.0f}%)"


def run(command, **kwargs):
    return subprocess.run(command, check=True, text=True, stdout=subprocess.PIPE, **kwargs).stdout


def build_swift(scratch_path):
    scratch = ["--scratch-path", scratch_path] if scratch_path else []
    base = ["swift", "build", "-c", "release", "--product", "ssim-benchmark", "--package-path", str(PACKAGE)] + scratch
    print("$ " + " ".join(base), flush=True)
    subprocess.run(base, check=True, stdout=sys.stderr)
    return Path(run(base + ["--show-bin-path"]).strip()) / "ssim-benchmark"


def select(cases, patterns):
    if not patterns:
        return cases
    wanted = [p.strip() for p in patterns.split(",") if p.strip()]
    chosen = [c for c in cases if any(fnmatch.fnmatchcase(c["name"], p) for p in wanted)]
    if not chosen:
        sys.exit(f"Error: --cases {patterns!r} matches no case; the cases are: " + ", ".join(c["name"] for c in cases))
    return chosen


def time_kornia(case, min_time, min_runs):
    import torch
    if not case["operation"].startswith("multiscale-ssim"):
        import kornia

    dtype = {"Float": torch.float32, "Double": torch.float64}[case["dtype"]]
    generator = torch.Generator().manual_seed(0)
    x = torch.rand(case["shape"], dtype=dtype, generator=generator)
    y = torch.rand(case["shape"], dtype=dtype, generator=generator)
    window, padding, operation = case["window"], case["padding"], case["operation"]

    # Rank-5 cases are volumes: Kornia's ssim3d / ssim3d_loss.
    volumes = len(case["shape"]) == 5
    if not operation.startswith("multiscale-ssim"):
        ssim_map = kornia.metrics.ssim3d if volumes else kornia.metrics.ssim
        ssim_loss = kornia.losses.ssim3d_loss if volumes else kornia.losses.ssim_loss
    if operation == "map":
        def body():
            return ssim_map(x, y, window, padding=padding)
    elif operation == "loss":
        def body():
            return ssim_loss(x, y, window, reduction="mean", padding=padding)
    elif operation == "loss+grad":
        x.requires_grad_(True)

        def body():
            x.grad = None
            loss = ssim_loss(x, y, window, reduction="mean", padding=padding)
            loss.backward()
            return loss
    elif operation == "ms-ssim":
        criterion = kornia.losses.MS_SSIMLoss()

        def body():
            return criterion(x, y)
    elif operation == "ms-ssim-exact":
        criterion = kornia.losses.MS_SSIMLoss()
        n = 2 * criterion.pad + 1
        criterion._g_masks = torch.stack(
            [criterion._fspecial_gauss_2d(n, s, dtype=dtype) for s in (0.5, 1.0, 2.0, 4.0, 8.0)]).unsqueeze(1)

        def body():
            return criterion(x, y)
    elif operation == "ms-ssim+grad":
        criterion = kornia.losses.MS_SSIMLoss()
        x.requires_grad_(True)

        def body():
            x.grad = None
            loss = criterion(x, y)
            loss.backward()
            return loss
    elif operation in ("multiscale-ssim", "multiscale-ssim+grad"):
        # Wang's MS-SSIM, the Swift preset .pytorchMSSSIM: pytorch_msssim.ms_ssim per image, and
        # the gradient of the mean 1 - MS-SSIM by torch autograd (the peer is pytorch-msssim).
        import pytorch_msssim

        if operation == "multiscale-ssim":
            def body():
                return pytorch_msssim.ms_ssim(x, y, data_range=255, size_average=False, win_size=window)
        else:
            x.requires_grad_(True)

            def body():
                x.grad = None
                loss = (1 - pytorch_msssim.ms_ssim(x, y, data_range=255, size_average=False, win_size=window)).mean()
                loss.backward()
                return loss
    else:
        raise ValueError(f"unknown operation {operation!r}")

    start = time.perf_counter()
    body()
    warm_up = time.perf_counter() - start
    times = []
    while len(times) < min_runs or sum(times) < min_time:
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
        if len(times) >= 1000:
            break
    return {"median_ms": statistics.median(times) * 1e3, "min_ms": min(times) * 1e3,
            "runs": len(times), "warm_up_ms": warm_up * 1e3}


def memory_bar(case):
    """The spec's bar for a case, in bytes: 1.25 x (inputs + output) + 32 MiB for a forward,
    1.5 x (inputs + outputs) + 32 MiB for forward and backward."""
    factor = 1.5 if case["operation"] in ("loss+grad", "ms-ssim+grad", "multiscale-ssim+grad") else 1.25
    return factor * (case["input_bytes"] + case["output_bytes"]) + 32 * MIB


def disturbed(others_percent, threshold):
    return others_percent is not None and others_percent > threshold


def less_disturbed(candidate, current):
    if candidate is None:
        return current is None
    return current is None or candidate < current


def percent(value):
    return "n/a" if value is None else f"{value:.0f}"


def table(headers, rows, right):
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]

    def line(cells):
        return "  ".join(str(c).rjust(w) if r else str(c).ljust(w) for c, w, r in zip(cells, widths, right)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", help="comma-separated case names or shell patterns (default: all)")
    parser.add_argument("--scratch-path", help="build folder passed to swift build (default: the package's .build)")
    parser.add_argument("--min-time", type=float, default=2.0, help="seconds of timed Kornia runs per case (default 2)")
    parser.add_argument("--min-runs", type=int, default=3, help="timed Kornia runs per case at least (default 3)")
    parser.add_argument("--retries", type=int, default=2,
                        help="re-time a case (either side) up to this many times while other processes took more "
                             "than --busy-percent of the CPU, keeping the least disturbed attempt (default 2)")
    parser.add_argument("--busy-percent", type=float, default=10.0,
                        help="other processes' CPU share above which a timing is re-taken (default 10)")
    arguments = parser.parse_args()

    started = time.perf_counter()
    import torch
    try:
        import kornia
        kornia_version = kornia.__version__
    except ImportError:  # the multiscale-ssim cases need only pytorch-msssim
        kornia_version = "not installed"
    try:
        import pytorch_msssim  # noqa: F401
        from importlib.metadata import version
        msssim_version = version("pytorch-msssim")
    except ImportError:
        msssim_version = "not installed"

    torch.set_num_threads(os.cpu_count())
    load_before = load_average()

    binary = build_swift(arguments.scratch_path)
    all_cases = [json.loads(line) for line in run([str(binary), "--list", "--json"]).splitlines() if line.strip()]
    # The cases of other libraries' SSIM conventions compute what Kornia cannot: not compared
    # (Wang's MS-SSIM cases are compared with pytorch-msssim, their peer).
    all_cases = [case for case in all_cases if "convention" not in case]
    cases = select(all_cases, arguments.cases)
    swift_version = run(["swift", "--version"], stderr=subprocess.STDOUT).splitlines()[0].strip()

    print(f"Machine: {machine_description()}")
    print(f"Date:    {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"torch {torch.__version__} ({torch.get_num_threads()} threads), kornia {kornia_version}, pytorch-msssim {msssim_version}, {swift_version}")
    print(f"Load average before: {load_before}", flush=True)

    kornia_results = {}
    kornia_phase = OtherLoad()
    retimed = []
    for case in cases:
        for attempt in range(arguments.retries + 1):
            case_load = OtherLoad()
            r = time_kornia(case, arguments.min_time, arguments.min_runs)
            measured = case_load.measure()
            r["others_percent"] = None if measured is None else 100 * measured[0] / max(measured[1], 1e-9)
            print(f"  kornia {case['name']}: median {r['median_ms']:.1f} ms over {r['runs']} runs; "
                  f"other processes: {case_load.describe()}", file=sys.stderr, flush=True)
            if attempt > 0:
                retimed.append(f"Kornia {case['name']}")
            if less_disturbed(r.get("others_percent"), kornia_results.get(case["name"], {}).get("others_percent", 1e9)):
                kornia_results[case["name"]] = r
            if not disturbed(kornia_results[case["name"]].get("others_percent"), arguments.busy_percent):
                break
    kornia_load = kornia_phase.describe()

    names = [arg for case in cases for arg in ("--case", case["name"])]
    swift_results = {}
    swift_phase = OtherLoad()
    for line in run([str(binary), "--json"] + names).splitlines():
        if line.strip():
            result = json.loads(line)
            swift_results[result["name"]] = result
    swift_load = swift_phase.describe()
    for case in cases:
        for _ in range(arguments.retries):
            best = swift_results[case["name"]]
            if not disturbed(best.get("other_processes_cpu_percent"), arguments.busy_percent):
                break
            retimed.append(f"Swift {case['name']}")
            again = json.loads(run([str(binary), "--json", "--case", case["name"]]))
            print(f"  swift {case['name']} re-timed: median {again['median_ms']:.1f} ms, other processes "
                  f"{percent(again.get('other_processes_cpu_percent'))}%", file=sys.stderr, flush=True)
            if less_disturbed(again.get("other_processes_cpu_percent"), best.get("other_processes_cpu_percent")):
                swift_results[case["name"]] = again
    print(f"  swift: timed in one process; other processes: {swift_load}", file=sys.stderr, flush=True)

    # One fresh process per case for its own peak memory: the warm-up and --min-runs runs.
    peaks = {}
    for case in cases:
        result = json.loads(run([str(binary), "--json", "--case", case["name"], "--min-time", "0"]))
        peaks[case["name"]] = result["peak_rss_bytes"]
    load_after = load_average()

    rows = []
    for case in cases:
        k, s = kornia_results[case["name"]], swift_results[case["name"]]
        peak = peaks[case["name"]]
        rows.append([
            case["name"], "x".join(map(str, case["shape"])), case["dtype"], case["window"], case["padding"],
            case["operation"], f"{k['median_ms']:.1f}", f"{s['median_ms']:.1f}", f"{k['median_ms'] / s['median_ms']:.2f}",
            "n/a" if peak is None else f"{peak / MIB:.0f}", f"{k['min_ms']:.1f}", f"{s['min_ms']:.1f}",
            percent(k.get("others_percent")) + "/" + percent(s.get("other_processes_cpu_percent")),
        ])
    print()
    print(table(
        ["case", "shape", "dtype", "window", "padding", "operation", "Kornia ms", "Swift ms", "Kornia/Swift",
         "Swift peak MiB", "Kornia min", "Swift min", "others % K/S"],
        rows, [False, False, False, True, False, False, True, True, True, True, True, True, True]))
    notes = [f"{c['name']}: Swift {swift_results[c['name']]['note']}" for c in cases if swift_results[c["name"]].get("note")]
    runs = ", ".join(f"{c['name']} {kornia_results[c['name']]['runs']}/{swift_results[c['name']]['runs']}" for c in cases)
    print(f"\nMedians (and minima) of timed runs after one warm-up; runs Kornia/Swift: {runs}.")
    print("others % K/S: the share of all cores' time that other processes took while the case was timed,")
    print("for Kornia / for Swift; a timing is trustworthy only when its share is near 0.")
    print(f"CPU used by other processes while Kornia ran: {kornia_load}; while Swift ran (all cases, one "
          f"process): {swift_load}.")
    if retimed:
        print(f"Re-timed (others above {arguments.busy_percent:.0f}%; the least disturbed attempt is shown): "
              + ", ".join(retimed) + ".")
    for note in notes:
        print(note)

    memory_rows = []
    for case in cases:
        peak, bar = peaks[case["name"]], memory_bar(case)
        memory_rows.append([
            case["name"], f"{case['input_bytes'] / MIB:.1f}", f"{case['output_bytes'] / MIB:.1f}",
            ("1.5" if case["operation"] in ("loss+grad", "ms-ssim+grad") else "1.25") + " x (in + out) + 32", f"{bar / MIB:.0f}",
            "n/a" if peak is None else f"{peak / MIB:.0f}",
            "n/a" if peak is None else ("yes" if peak <= bar else "NO"),
        ])
    print()
    print("Swift peak resident memory (VmHWM) in a fresh process per case, against the spec's bar (MiB):")
    print(table(["case", "inputs", "outputs", "bar formula", "bar", "peak", "within"], memory_rows,
                [False, True, True, False, True, True, False]))

    print(f"\nLoad average after: {load_after}")
    print(f"Total time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
