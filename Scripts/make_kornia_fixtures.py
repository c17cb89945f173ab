#!/usr/bin/env python3
"""Writes the golden values of the 2-D SSIM tests by running Kornia 0.9.0 with torch.

Usage (outside the repo's build, in a virtual environment):
    python3 -m venv /tmp/kenv && /tmp/kenv/bin/pip install torch kornia==0.9.0 numpy
    /tmp/kenv/bin/python Scripts/make_kornia_fixtures.py

Writes Tests/StructuralSimilarityTests/Fixtures/kornia_ssim.json: a list of cases, each with
its options, the two input images (float32 values, so that the Float and the Double paths see
the same numbers), and Kornia's results in float64 (the truth the tests measure against) and in
float32 (to check that our Float path is no further from the truth than Kornia's own):
the SSIM map, the loss, and torch autograd's gradients of the loss with respect to both images.
Every fourth case also carries the gradient of sum(mapWeights * ssim_map).
"""
import json
import os

import numpy as np
import torch
import kornia

assert kornia.__version__ == "0.9.0", kornia.__version__
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "StructuralSimilarityTests", "Fixtures", "kornia_ssim.json")


def images(kind, shape, max_value, rng):
    """Two float32 images of a kind of data, scaled to [0, max_value] unless offset."""
    u = rng.random(shape)
    if kind == "unrelated":
        x, y = u, rng.random(shape)
    elif kind == "identical":
        x = y = u
    elif kind == "near-identical":
        x, y = u * 0.98 + 0.01, u * 0.98 + 0.01 + rng.normal(0, 1e-3, shape)
    elif kind == "inverted":
        x, y = u, 1 - u
    elif kind == "constant":
        x, y = np.full(shape, 0.5), np.full(shape, 0.25)
    elif kind == "black":
        x = y = np.zeros(shape)
    elif kind == "structured":
        h, w = shape[-2:]
        yy, xx = np.meshgrid(np.linspace(0, 1, h), np.linspace(0, 1, w), indexing="ij")
        base = 0.5 + 0.4 * np.sin(6 * xx + 3 * yy) * np.cos(4 * yy)
        x = np.broadcast_to(base, shape) * 0.9 + 0.05
        y = np.clip(x + rng.normal(0, 0.05, shape), 0, 1)
    elif kind == "offset":
        # A large constant offset: values near 1000 * max_value with small variations.
        x = 1000 + u
        y = 1000 + 0.7 * u + 0.3 * rng.random(shape)
        return (x * max_value).astype(np.float32), (y * max_value).astype(np.float32)
    else:
        raise ValueError(kind)
    return (x * max_value).astype(np.float32), (y * max_value).astype(np.float32)


def run(x, y, dtype, case, weights):
    t1 = torch.tensor(x, dtype=dtype, requires_grad=True)
    t2 = torch.tensor(y, dtype=dtype, requires_grad=True)
    opts = dict(max_val=case["maxValue"], eps=case["eps"], padding=case["padding"])
    ssim_map = kornia.metrics.ssim(t1, t2, case["windowSize"], **opts)
    loss = kornia.losses.ssim_loss(t1, t2, case["windowSize"], reduction=case["reduction"], **opts)
    (loss if loss.dim() == 0 else loss.sum()).backward()
    result = {
        "map": ssim_map.detach().flatten().tolist(),
        "loss": loss.detach().flatten().tolist(),
        "grad1": t1.grad.flatten().tolist(),
        "grad2": t2.grad.flatten().tolist(),
    }
    if weights is not None:
        u1 = torch.tensor(x, dtype=dtype, requires_grad=True)
        u2 = torch.tensor(y, dtype=dtype, requires_grad=True)
        m = kornia.metrics.ssim(u1, u2, case["windowSize"], **opts)
        (m * torch.tensor(weights, dtype=dtype)).sum().backward()
        result["mapGrad1"] = u1.grad.flatten().tolist()
        result["mapGrad2"] = u2.grad.flatten().tolist()
    return result


def exact_window1_gradient(case):
    """The exact gradient of the loss for a 1-tap window, where SSIM is pointwise:
    S = (2xy + C1) C2 / ((x^2 + y^2 + C1) C2 + eps), computed in rationals. On offset data this
    is the truth that Kornia's float64 (which cancels E[x^2] - E[x]^2) only approximates."""
    from fractions import Fraction as F
    L = F(case["maxValue"])
    c1, c2, eps = (F(1, 100) * L) ** 2, (F(3, 100) * L) ** 2, F(case["eps"])
    count = len(case["img1"]) if case["reduction"] == "mean" else 1
    gradient = []
    for a, b in zip(map(F, case["img1"]), map(F, case["img2"])):
        num, den = (2 * a * b + c1) * c2, (a * a + b * b + c1) * c2 + eps
        d_ssim = (2 * b * c2 * den - num * 2 * a * c2) / den ** 2
        loss = (1 - num / den) / 2
        gradient.append(float(-d_ssim / 2 / count) if 0 <= loss <= 1 else 0.0)
    return gradient


def main():
    rng = np.random.default_rng(20261125)
    kinds = ["unrelated", "structured", "near-identical", "identical", "inverted", "constant", "offset", "black"]
    reductions = ["mean", "sum", "none"]
    epss = [1e-12, 0.0, 1e-3]
    cases = []
    index = 0
    for window in [1, 3, 5, 7, 11, 15]:
        half = window // 2
        for padding in ["same", "valid"]:
            # Shapes: a general odd/non-square one, and the minimal one for the padding.
            minimal = half + 1 if padding == "same" else window
            shapes = [
                (1 + index % 3, 1 + (index * 2) % 5, max(window + 2, 9) + index % 4, max(window + 4, 12) + index % 3),
                (1, 2, minimal, max(minimal, window) + 3),
                (2, 1, max(minimal, window) + 1, minimal),
                (3, 5, window + 3, window + 6),
            ]
            for shape in shapes:
                kind = kinds[index % len(kinds)]
                max_value = 255.0 if index % 4 == 1 else 1.0
                case = {
                    "name": f"w{window}-{padding}-{kind}-{'x'.join(map(str, shape))}",
                    "kind": kind,
                    "shape": list(shape),
                    "windowSize": window,
                    "padding": padding,
                    "reduction": reductions[index % 3],
                    "maxValue": max_value,
                    "eps": epss[(index // 3) % 3],
                }
                x, y = images(kind, shape, max_value, rng)
                case["img1"] = x.astype(np.float64).flatten().tolist()
                case["img2"] = y.astype(np.float64).flatten().tolist()
                weights = None
                if index % 4 == 0:
                    out = list(shape[:2]) + ([s - 2 * half for s in shape[2:]] if padding == "valid" else list(shape[2:]))
                    weights = rng.uniform(-1, 1, out)
                    case["mapWeights"] = weights.flatten().tolist()
                case["float64"] = run(x.astype(np.float64), y.astype(np.float64), torch.float64, case, weights)
                case["float32"] = run(x, y, torch.float32, case, None)
                if window == 1:
                    case["exactGrad1"] = exact_window1_gradient(case)
                cases.append(case)
                index += 1
    with open(OUT, "w") as f:
        json.dump({"kornia": kornia.__version__, "torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)} ({os.path.getsize(OUT) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
