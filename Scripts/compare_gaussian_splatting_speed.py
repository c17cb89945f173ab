#!/usr/bin/env python3
"""Times 3D Gaussian splatting's own PyTorch photometric loss (CPU, torch autograd) against this
package's SSIML1Loss.gaussianSplatting, on the same shape, in one run on one machine.

The loss is graphdeco-inria/gaussian-splatting's, re-typed in gaussian_splatting_loss.py from
utils/loss_utils.py at commit 15d64e67814605c4d5b24a326aad29da74898acc and train.py's
`loss = (1.0 - opt.lambda_dssim) * Ll1 + opt.lambda_dssim * (1.0 - ssim(image, gt_image))`
with lambda_dssim 0.2, in float32 with its float32 window, as the codebase runs it:

    gaussian-splatting-loss       the loss
    gaussian-splatting-loss-grad  the loss, then loss.backward() with requires_grad on the image

against the Swift cases of the same names in Benchmarks/ssim-benchmark (`SSIML1Loss.gaussianSplatting`
and its `valueWithGradient`, one forward and one backward pass), and
`gaussian-splatting-ssim-part-loss-grad` (our SSIM loss alone with the same options: the bar
"the fused pass no slower than our SSIM loss plus 10 %"). The machinery (the build, the
benchmark's JSON, the other processes' CPU share, the table) is Scripts/compare_kornia_speed.py's.

Running (about 2 minutes on 2 cores; any CPU torch 2.x):

    /tmp/msenv/bin/python Scripts/compare_gaussian_splatting_speed.py [--scratch-path DIR]
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time

from compare_kornia_speed import OtherLoad, build_swift, load_average, machine_description, run, table

CASES = ["gaussian-splatting-loss", "gaussian-splatting-loss-grad", "gaussian-splatting-ssim-part-loss-grad"]


def time_torch(case, min_time, min_runs):
    import torch
    generator = torch.Generator().manual_seed(0)
    image = torch.rand(case["shape"], dtype=torch.float32, generator=generator)
    gt_image = torch.rand(case["shape"], dtype=torch.float32, generator=generator)
    from gaussian_splatting_loss import loss
    if case["operation"] == "ssim-l1":
        def body():
            with torch.no_grad():
                return loss(image, gt_image)
    else:
        image.requires_grad_(True)

        def body():
            image.grad = None
            value = loss(image, gt_image)
            value.backward()
            return value
    body()  # warm-up
    times = []
    while len(times) < min_runs or sum(times) < min_time:
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return {"median_ms": statistics.median(times) * 1e3, "min_ms": min(times) * 1e3, "runs": len(times)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scratch-path", help="build folder passed to swift build (default: the package's .build)")
    parser.add_argument("--min-time", type=float, default=10.0, help="seconds of timed torch runs per case (default 10)")
    parser.add_argument("--min-runs", type=int, default=3, help="timed torch runs per case at least (default 3)")
    arguments = parser.parse_args()
    import torch
    torch.set_num_threads(os.cpu_count())
    load_before = load_average()
    binary = build_swift(arguments.scratch_path)
    cases = {c["name"]: c for c in (json.loads(line) for line in run([str(binary), "--list", "--json"]).splitlines() if line.strip())}
    swift_version = run(["swift", "--version"], stderr=subprocess.STDOUT).splitlines()[0].strip()
    print(f"Machine: {machine_description()}")
    print(f"Date:    {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"torch {torch.__version__} ({torch.get_num_threads()} threads), {swift_version}")
    print(f"Load average before: {load_before}", flush=True)

    torch_results, torch_load = {}, {}
    for name in CASES[:2]:
        phase = OtherLoad()
        torch_results[name] = time_torch(cases[name], arguments.min_time, arguments.min_runs)
        torch_load[name] = phase.describe()
        print(f"  torch {name}: median {torch_results[name]['median_ms']:.1f} ms; other processes: {torch_load[name]}", file=sys.stderr, flush=True)
    phase = OtherLoad()
    swift_results = {}
    for line in run([str(binary), "--json"] + [a for name in CASES for a in ("--case", name)]).splitlines():
        if line.strip():
            result = json.loads(line)
            swift_results[result["name"]] = result
    swift_load = phase.describe()

    rows = []
    for name in CASES:
        s = swift_results[name]
        t = torch_results.get(name)
        rows.append([name, "x".join(map(str, cases[name]["shape"])), cases[name]["operation"],
                     f"{t['median_ms']:.1f}" if t else "-", f"{s['median_ms']:.1f}",
                     f"{t['median_ms'] / s['median_ms']:.1f}" if t else "-",
                     f"{t['min_ms']:.1f}" if t else "-", f"{s['min_ms']:.1f}",
                     torch_load.get(name, "-"), f"{s.get('other_processes_cpu_percent', float('nan')):.0f}%"])
    print()
    print(table(["case", "shape", "operation", "torch ms", "Swift ms", "torch/Swift", "torch min", "Swift min",
                 "others (torch)", "others (Swift)"], rows, [False, False, False, True, True, True, True, True, False, True]))
    fused, part = swift_results[CASES[1]]["median_ms"], swift_results[CASES[2]]["median_ms"]
    print(f"\nFused loss + gradient / SSIM loss + gradient alone (same options): {fused / part:.3f} (bar: at most 1.10)")
    print(f"torch / Swift for the loss + gradient: {torch_results[CASES[1]]['median_ms'] / fused:.1f} (bar: at least 50)")
    print(f"CPU used by other processes while Swift ran: {swift_load}")
    print(f"Load average after: {load_average()}")


if __name__ == "__main__":
    main()
