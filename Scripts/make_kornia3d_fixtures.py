#!/usr/bin/env python3
"""Writes the golden values of the 3-D SSIM tests by running Kornia 0.9.0 with torch.

Usage (outside the repo's build, in a virtual environment):
    python3 -m venv /tmp/kenv && /tmp/kenv/bin/pip install torch kornia==0.9.0 numpy
    /tmp/kenv/bin/python Scripts/make_kornia3d_fixtures.py

Writes Tests/StructuralSimilarityTests/Fixtures/kornia_ssim3d.json: a list of cases, each with
its options, the two input volumes (B, C, D, H, W) and Kornia's float64 results (the truth the
tests measure both Float and Double against): the map of `kornia.metrics.ssim3d`, the loss of
`kornia.losses.ssim3d_loss`, torch autograd's gradients of the loss with respect to both
volumes, and for some cases the gradients of sum(mapWeights * ssim_map); also the loss
computed with 40-digit arithmetic from the definition (`exactLoss`), the truth where Kornia's
float64 loses digits (the mean loss of near-identical volumes: 1.7e-10 relative).

To keep the file small the input values are multiples of 2^-12 (exact in float32, so the
Float and Double paths see the same numbers, and short to write) and results are written with
15 significant digits (far below the tests' bars: 1e-10 absolute on the map).
"""
import json
import os

import numpy as np
import torch
import kornia

assert kornia.__version__ == "0.9.0", kornia.__version__
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "StructuralSimilarityTests", "Fixtures", "kornia_ssim3d.json")


def short(values):
    """15 significant digits: shorter JSON, and still 1e-15 relative."""
    return [float(f"{v:.15g}") for v in values]


def quantised(u):
    return np.round(u * 4096) / 4096


def volumes(kind, shape, max_value, rng):
    """Two float32 volumes of a kind of data, in [0, max_value], values multiples of 2^-12 max_value."""
    u = quantised(rng.random(shape))
    if kind == "unrelated":
        x, y = u, quantised(rng.random(shape))
    elif kind == "identical":
        x = y = u
    elif kind == "near-identical":
        # Differences of up to 2^-10 (about 1e-3, as the 2-D fixtures' noise), exact in float32.
        x = u * 0.5 + 0.25
        y = x + rng.integers(-8, 9, shape) / 2 ** 13
    elif kind == "structured":
        d, h, w = shape[-3:]
        zz, yy, xx = np.meshgrid(np.linspace(0, 1, d), np.linspace(0, 1, h), np.linspace(0, 1, w), indexing="ij")
        base = quantised(0.5 + 0.4 * np.sin(6 * xx + 3 * yy - 2 * zz) * np.cos(4 * yy + zz))
        x = np.broadcast_to(base, shape)
        y = np.clip(x + quantised(rng.normal(0, 0.05, shape)), 0, 1)
    elif kind == "constant":
        x, y = np.full(shape, 0.5), np.full(shape, 0.25)
    else:
        raise ValueError(kind)
    return (x * max_value).astype(np.float32), (y * max_value).astype(np.float32)


def exact_loss(x, y, case):
    """The loss computed with 40-digit arithmetic (mpmath) from the definition of SPEC.md §3:
    the truth where Kornia's float64 loses digits (near-identical volumes, whose loss of
    ~1e-6 is 1 - SSIM with SSIM rounded to 1e-16)."""
    from mpmath import mp, mpf
    mp.dps = 40
    shape, window = case["shape"], case["windowSize"]
    half = window // 2
    taps = [mp.exp(-mpf((i - half) ** 2) / (2 * mpf("1.5") ** 2)) for i in range(window)]
    taps = [t / sum(taps) for t in taps]

    def filtered(a, axis):
        n = a.shape[axis]
        out = np.empty_like(a)
        for o in range(n):
            acc = 0
            for k in range(window):
                i = o - half + k
                i = -i if i < 0 else (2 * (n - 1) - i if i >= n else i)
                acc = acc + taps[k] * np.take(a, i, axis=axis)
            index = [slice(None)] * a.ndim
            index[axis] = o
            out[tuple(index)] = acc
        return out

    def blur(a):
        return filtered(filtered(filtered(a, 4), 3), 2)

    a = np.vectorize(mpf, otypes=[object])(x.astype(np.float64))
    b = np.vectorize(mpf, otypes=[object])(y.astype(np.float64))
    m1, m2, e11, e22, e12 = blur(a), blur(b), blur(a * a), blur(b * b), blur(a * b)
    L = mpf(case["maxValue"])
    c1, c2, eps = (mpf("0.01") * L) ** 2, (mpf("0.03") * L) ** 2, mpf(case["eps"])
    ssim = (2 * m1 * m2 + c1) * (2 * (e12 - m1 * m2) + c2) / ((m1 * m1 + m2 * m2 + c1) * (e11 - m1 * m1 + e22 - m2 * m2 + c2) + eps)
    if case["padding"] == "valid":
        crop = slice(half, shape[2] - half), slice(half, shape[3] - half), slice(half, shape[4] - half)
        ssim = ssim[(slice(None), slice(None)) + crop]
    loss = [min(max((1 - s) / 2, mpf(0)), mpf(1)) for s in ssim.flatten()]
    if case["reduction"] == "mean":
        loss = [sum(loss) / len(loss)]
    elif case["reduction"] == "sum":
        loss = [sum(loss)]
    return short([float(v) for v in loss])


def run(x, y, case, weights):
    t1 = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    t2 = torch.tensor(y, dtype=torch.float64, requires_grad=True)
    opts = dict(max_val=case["maxValue"], eps=case["eps"], padding=case["padding"])
    ssim_map = kornia.metrics.ssim3d(t1, t2, case["windowSize"], **opts)
    loss = kornia.losses.ssim3d_loss(t1, t2, case["windowSize"], reduction=case["reduction"], **opts)
    (loss if loss.dim() == 0 else loss.sum()).backward()
    # The module and the function agree (SSIM3DLoss holds the options).
    module = kornia.losses.SSIM3DLoss(case["windowSize"], reduction=case["reduction"], **opts)
    assert torch.equal(module(t1.detach(), t2.detach()), loss.detach())
    result = {
        "map": short(ssim_map.detach().flatten().tolist()),
        "loss": short(loss.detach().flatten().tolist()),
        "grad1": short(t1.grad.flatten().tolist()),
        "grad2": short(t2.grad.flatten().tolist()),
    }
    if weights is not None:
        u1 = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        u2 = torch.tensor(y, dtype=torch.float64, requires_grad=True)
        m = kornia.metrics.ssim3d(u1, u2, case["windowSize"], **opts)
        (m * torch.tensor(weights, dtype=torch.float64)).sum().backward()
        result["mapGrad1"] = short(u1.grad.flatten().tolist())
        result["mapGrad2"] = short(u2.grad.flatten().tolist())
    return result


# (window, padding, kind, shape (B, C, D, H, W), reduction, maxValue, eps, with map weights)
CASES = [
    (7, "same", "unrelated", (1, 2, 8, 9, 10), "mean", 1.0, 1e-12, True),
    (7, "valid", "unrelated", (2, 1, 9, 8, 10), "sum", 255.0, 0.0, False),
    (7, "same", "unrelated", (1, 1, 4, 5, 4), "none", 1.0, 1e-12, False),      # minimal for same: 4 > 7 // 2
    (7, "valid", "structured", (1, 1, 7, 7, 8), "mean", 1.0, 1e-12, True),    # minimal for valid: 7
    (7, "same", "structured", (1, 1, 10, 6, 5), "sum", 255.0, 0.0, False),
    (5, "same", "structured", (1, 1, 6, 7, 8), "none", 1.0, 1e-12, True),
    (5, "valid", "near-identical", (1, 1, 7, 8, 6), "mean", 1.0, 0.0, False),
    (5, "same", "identical", (1, 1, 5, 6, 7), "mean", 1.0, 1e-12, False),
    (5, "valid", "unrelated", (1, 2, 5, 6, 5), "none", 255.0, 1e-12, False),   # minimal for valid: 5
    (3, "same", "near-identical", (1, 1, 5, 6, 7), "mean", 255.0, 1e-12, True),
    (3, "valid", "unrelated", (2, 2, 4, 5, 6), "none", 1.0, 0.0, False),
    (3, "same", "unrelated", (1, 1, 2, 2, 3), "sum", 1.0, 1e-12, False),     # minimal for same: 2 > 3 // 2
    (3, "valid", "constant", (1, 1, 3, 4, 3), "mean", 1.0, 1e-12, False),
    (1, "same", "unrelated", (1, 1, 3, 4, 5), "mean", 1.0, 1e-12, True),
    (1, "valid", "structured", (1, 1, 1, 3, 4), "none", 255.0, 0.0, False),
]


def main():
    rng = np.random.default_rng(20261126)
    cases = []
    for window, padding, kind, shape, reduction, max_value, eps, with_weights in CASES:
        case = {
            "name": f"w{window}-{padding}-{kind}-{'x'.join(map(str, shape))}",
            "kind": kind,
            "shape": list(shape),
            "windowSize": window,
            "padding": padding,
            "reduction": reduction,
            "maxValue": max_value,
            "eps": eps,
        }
        x, y = volumes(kind, shape, max_value, rng)
        case["img1"] = x.astype(np.float64).flatten().tolist()
        case["img2"] = y.astype(np.float64).flatten().tolist()
        weights = None
        if with_weights:
            half = window // 2
            out = list(shape[:2]) + ([s - 2 * half for s in shape[2:]] if padding == "valid" else list(shape[2:]))
            weights = quantised(rng.uniform(-1, 1, out))
            case["mapWeights"] = weights.flatten().tolist()
        case["float64"] = run(x.astype(np.float64), y.astype(np.float64), case, weights)
        case["exactLoss"] = exact_loss(x, y, case)
        cases.append(case)
    with open(OUT, "w") as f:
        json.dump({"kornia": kornia.__version__, "torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)} ({os.path.getsize(OUT) / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
