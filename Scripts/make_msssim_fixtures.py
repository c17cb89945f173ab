#!/usr/bin/env python3
"""Writes the golden values of the MS-SSIM + L1 loss tests by running Kornia 0.9.0's
kornia.losses.MS_SSIMLoss with torch.

Usage (outside the repo's build, in a virtual environment):
    python3 -m venv /tmp/kenv && /tmp/kenv/bin/pip install torch kornia==0.9.0 numpy
    /tmp/kenv/bin/python Scripts/make_msssim_fixtures.py

Writes Tests/StructuralSimilarityTests/Fixtures/kornia_msssim.json: a list of cases, each with
its options, the two input images (float32 values, so that the Float and the Double paths see
the same numbers; their batch sizes may differ by broadcasting), and Kornia's results:
- float64: the loss (the (B, H, W) map for reduction 'none') and torch autograd's gradients of
  the loss (of its sum for 'none') with respect to both images: the truth the tests measure
  against. Kornia builds its masks in float32, so these use float32-rounded taps.
- float32: the loss and the gradient with respect to the first image, Kornia's own float32.
- exactMasks: the float64 loss with float64 masks (the module's mask buffer rebuilt in float64),
  the reference of MSSSIMMasks.exact.
- korniaWindows: Kornia's float32 1-D window of every sigma (the masks are their float32 outer
  products), to check that the Swift side builds the same taps.
"""
import json
import os

import numpy as np
import torch
import kornia

assert kornia.__version__ == "0.9.0", kornia.__version__
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "StructuralSimilarityTests", "Fixtures", "kornia_msssim.json")

DEFAULTS = dict(sigmas=[0.5, 1.0, 2.0, 4.0, 8.0], dataRange=1.0, k=[0.01, 0.03], alpha=0.025, compensation=200.0, reduction="mean")


def images(kind, shape1, shape2, data_range, rng):
    """Two float32 images of a kind of data in [0, data_range], quantised to 2^-12 of the range."""
    def q(a):
        return (np.round(np.clip(a, 0, 1) * 4096) / 4096 * data_range).astype(np.float32)
    if kind == "unrelated":
        return q(rng.random(shape1)), q(rng.random(shape2))
    if kind == "structured":
        h, w = shape1[-2:]
        yy, xx = np.meshgrid(np.linspace(0, 1, h), np.linspace(0, 1, w), indexing="ij")
        base = 0.5 + 0.4 * np.sin(6 * xx + 3 * yy) * np.cos(4 * yy)
        x = np.broadcast_to(base, shape1) * 0.9 + 0.05
        return q(x), q(np.broadcast_to(base, shape2) * 0.9 + 0.05 + rng.normal(0, 0.05, shape2))
    if kind == "near-identical":
        x = rng.random(shape1) * 0.98 + 0.01
        return q(x), q(x + rng.normal(0, 2e-3, shape1))
    raise ValueError(kind)


def criterion(case, exact_masks=False):
    m = kornia.losses.MS_SSIMLoss(
        sigmas=case["sigmas"], data_range=case["dataRange"], K=tuple(case["k"]), alpha=case["alpha"],
        compensation=case["compensation"], reduction=case["reduction"])
    if exact_masks:
        n = 2 * m.pad + 1
        masks = torch.stack([m._fspecial_gauss_2d(n, s, dtype=torch.float64) for s in case["sigmas"]]).unsqueeze(1)
        m._g_masks = masks
    return m


def run(x, y, dtype, case, exact_masks=False):
    t1 = torch.tensor(x, dtype=dtype, requires_grad=True)
    t2 = torch.tensor(y, dtype=dtype, requires_grad=True)
    loss = criterion(case, exact_masks)(t1, t2)
    (loss if loss.dim() == 0 else loss.sum()).backward()
    return loss.detach().flatten().tolist(), t1.grad.flatten().tolist(), t2.grad.flatten().tolist()


def make_case(name, kind, shape1, shape2=None, seed=0, **options):
    case = dict(DEFAULTS, **options)
    shape2 = shape2 or shape1
    rng = np.random.default_rng(seed)
    x, y = images(kind, shape1, shape2, case["dataRange"], rng)
    loss64, g1, g2 = run(x, y, torch.float64, case)
    loss32, g1_32, _ = run(x, y, torch.float32, case)
    exact, _, _ = run(x, y, torch.float64, case, exact_masks=True)
    module = criterion(case)
    windows = [module._fspecial_gauss_1d(2 * module.pad + 1, s).tolist() for s in case["sigmas"]]
    return dict(
        name=name, kind=kind, shape1=list(shape1), shape2=list(shape2), **case,
        img1=x.flatten().tolist(), img2=y.flatten().tolist(),
        float64=dict(loss=loss64, grad1=g1, grad2=g2), float32=dict(loss=loss32, grad1=g1_32),
        exactMasks=dict(loss=exact), korniaWindows=windows)


def main():
    cases = [
        make_case("defaults-mean", "unrelated", (2, 3, 14, 17), seed=1),
        make_case("defaults-none", "structured", (2, 3, 13, 12), seed=2, reduction="none"),
        make_case("defaults-sum", "unrelated", (1, 3, 12, 12), seed=3, reduction="sum"),
        make_case("sigmas-1-2-none", "unrelated", (2, 1, 12, 13), seed=4, sigmas=[1.0, 2.0], reduction="none"),
        make_case("sigma-0.5", "structured", (1, 2, 9, 10), seed=5, sigmas=[0.5]),
        make_case("sigmas-unordered", "unrelated", (1, 2, 11, 9), seed=6, sigmas=[2.0, 0.5, 1.0], reduction="none"),
        make_case("sigmas-1.5-3", "structured", (1, 3, 10, 12), seed=7, sigmas=[1.5, 3.0]),
        make_case("one-channel", "unrelated", (3, 1, 10, 11), seed=8, reduction="sum"),
        make_case("four-channels", "structured", (1, 4, 9, 13), seed=9, reduction="none"),
        make_case("broadcast-first", "unrelated", (1, 3, 9, 10), (3, 3, 9, 10), seed=10, reduction="none"),
        make_case("broadcast-second", "structured", (2, 2, 10, 9), (1, 2, 10, 9), seed=11),
        make_case("range-255", "unrelated", (1, 3, 11, 12), seed=12, dataRange=255.0, reduction="none"),
        make_case("alpha-0", "unrelated", (1, 2, 10, 10), seed=13, alpha=0.0, reduction="none"),
        make_case("alpha-1", "structured", (2, 2, 10, 11), seed=14, alpha=1.0, reduction="none"),
        make_case("k-compensation", "unrelated", (1, 3, 9, 9), seed=15, k=[0.02, 0.05], compensation=1.0, reduction="sum"),
        make_case("one-pixel", "unrelated", (2, 3, 1, 1), seed=16, reduction="none"),
        make_case("smaller-than-window", "structured", (1, 3, 5, 7), seed=17, reduction="none"),
        make_case("thin-rows", "unrelated", (1, 1, 2, 40), seed=18, sigmas=[1.0, 2.0]),
        make_case("near-identical-alpha-1", "near-identical", (1, 3, 12, 12), seed=19, alpha=1.0, reduction="none"),
        make_case("near-identical", "near-identical", (2, 1, 12, 11), seed=20),
    ]
    data = dict(kornia=kornia.__version__, torch=torch.__version__, cases=cases)
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    print(f"wrote {len(cases)} cases, {os.path.getsize(OUT)} bytes to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
