#!/usr/bin/env python3
"""Writes the golden values of the SSIM components and of MATLAB's general form (issue 17, part 2):
Tests/StructuralSimilarityTests/Fixtures/components.json.

MATLAB is not installed, so the reference is MATLAB's documented formula (the `ssim` reference
page of the Image Processing Toolbox, "Algorithms"), run with torch in float64:

    l = (2 mu_x mu_y + C1) / (mu_x^2 + mu_y^2 + C1)
    c = (2 sigma_x sigma_y + C2) / (sigma_x^2 + sigma_y^2 + C2)
    s = (sigma_xy + C3) / (sigma_x sigma_y + C3)
    SSIM = l^alpha c^beta s^gamma

with C1 = (0.01 L)^2, C2 = (0.03 L)^2, C3 = C2 / 2 unless 'RegularizationConstants' says
otherwise, Exponents [alpha beta gamma] (default [1 1 1], when, with C3 = C2 / 2, the page
simplifies the index to the usual SSIM), the local statistics from imgaussfilt (sigma 1.5,
2 ceil(3 sigma) + 1 = 11 taps, 'replicate' padding), sigma_x^2 = G*(x^2) - mu_x^2,
sigma_xy = G*(x y) - mu_x mu_y, and sigma_x = sqrt(max(sigma_x^2, 0)). One case uses
Kornia's reflect border instead (the options' border is a setting of ours, not MATLAB's).

For each case: the map, the four component maps, the gradients (torch autograd, float64) of
sum(w * map) with respect to both images (w: weights from a seed, see fixture_inputs.weights),
and the loss mean(clamp((1 - SSIM) / 2, 0, 1)) with its gradient with respect to the first image.

Usage: /tmp/msenv/bin/python Scripts/make_components_fixtures.py   (torch 2.13.0+cpu, numpy)
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

from fixture_inputs import flat, generated_input, weights, write_json

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "StructuralSimilarityTests", "Fixtures", "components.json")
WEIGHTS_SEED = 1717
torch.set_num_threads(1)


def gaussian_taps(size, sigma):
    c = torch.arange(size, dtype=torch.float64) - size // 2
    g = torch.exp(-(c * c) / (2 * sigma * sigma))
    return g / g.sum()


def blur(a, taps, border):
    """The separable window through the border ('replicate' as imgaussfilt's Padding, or 'reflect')."""
    h = len(taps) // 2
    window = torch.outer(taps, taps)[None, None].repeat(a.shape[1], 1, 1, 1)
    return F.conv2d(F.pad(a, (h, h, h, h), mode=border), window, groups=a.shape[1])


def power(v, e):
    """v^e as MATLAB's general form takes it (its guardedDivideAndExponent): an exponent of 0
    drops the term, and under a fractional exponent a negative term is clamped to 0 first (the
    `ssim` help's note 5: "When non-integer valued 'Exponents' are used, intermediate luminance,
    contrast and structural terms are clamped to [0, inf] range to prevent complex valued
    outputs")."""
    if e == 0:
        return torch.ones_like(v)
    if e != int(e):
        v = torch.clamp(v, min=0)
    return v if e == 1 else v ** e


def terms(x, y, o):
    taps = gaussian_taps(11, 1.5)
    L = o.get("dataRange", 1.0)
    c1, c2, c3 = o.get("constants", [(0.01 * L) ** 2, (0.03 * L) ** 2, (0.03 * L) ** 2 / 2])
    b = o.get("border", "replicate")
    mux, muy = blur(x, taps, b), blur(y, taps, b)
    sxx = blur(x * x, taps, b) - mux * mux
    syy = blur(y * y, taps, b) - muy * muy
    sxy = blur(x * y, taps, b) - mux * muy
    sx, sy = torch.sqrt(torch.clamp(sxx, min=0)), torch.sqrt(torch.clamp(syy, min=0))
    lum = (2 * mux * muy + c1) / (mux * mux + muy * muy + c1)
    con = (2 * sx * sy + c2) / (sxx + syy + c2)
    stru = (sxy + c3) / (sx * sy + c3)
    return lum, con, stru, (c1, c2, c3), (mux, muy, sxx, syy, sxy)


def ssim_map(x, y, o):
    lum, con, stru, (c1, c2, c3), (mux, muy, sxx, syy, sxy) = terms(x, y, o)
    alpha, beta, gamma = o.get("exponents", [1, 1, 1])
    if [alpha, beta, gamma] == [1, 1, 1] and c3 == c2 / 2:
        # The page's simplified index.
        return (2 * mux * muy + c1) * (2 * sxy + c2) / ((mux * mux + muy * muy + c1) * (sxx + syy + c2))
    return power(lum, alpha) * power(con, beta) * power(stru, gamma)


def main():
    shape = (1, 2, 16, 13)
    pair = generated_input("pair", shape, 1701, 1702, 0.6)
    # Nearly independent images: negative structure terms, which a fractional exponent clamps.
    independent = generated_input("independent", shape, 1703, 1704, 0.05)
    inputs = {record["id"]: (xs, ys) for record, xs, ys in [pair, independent]}
    w = torch.from_numpy(weights(WEIGHTS_SEED, shape))
    cases = []
    for ident, options, name in [(c[0], c[1], c[2] if len(c) > 2 else "pair") for c in [
        ("matlab-default", {}),
        ("exponents-1-0.5-2", {"exponents": [1, 0.5, 2]}),
        ("exponents-0.5-1.5-1-constants", {"exponents": [0.5, 1.5, 1], "constants": [2e-4, 1e-3, 3e-4]}),
        ("c3-only", {"constants": [1e-4, 9e-4, 2e-4]}),
        ("exponents-2-1-1-reflect", {"exponents": [2, 1, 1], "border": "reflect"}),
        ("range-255-exponents-1-1-0.5", {"exponents": [1, 1, 0.5], "dataRange": 255.0}),
        ("independent-exponents-1-1-1.5", {"exponents": [1, 1, 1.5]}, "independent"),
        ("independent-exponents-1-1-0.5", {"exponents": [1, 1, 0.5]}, "independent"),
    ]]:
        xs, ys = inputs[name]
        scale = options.get("dataRange", 1.0)
        x = torch.from_numpy(xs * scale).requires_grad_(True)
        y = torch.from_numpy(ys * scale).requires_grad_(True)
        m = ssim_map(x, y, options)
        gx, gy = torch.autograd.grad((w * m).sum(), (x, y))
        loss = torch.clamp((1 - ssim_map(x, y, options)) / 2, 0, 1).mean()
        (lgx,) = torch.autograd.grad(loss, x)
        with torch.no_grad():
            lum, con, stru, _, _ = terms(x, y, options)
        cases.append({
            "id": ident, "input": name, "options": options, "map": flat(m), "gradX": flat(gx), "gradY": flat(gy),
            "loss": float(loss.detach()), "lossGradX": flat(lgx),
            "luminance": flat(lum), "contrast": flat(con), "structure": flat(stru), "contrastStructure": flat(con * stru),
        })
        assert torch.isfinite(gx).all() and torch.isfinite(gy).all(), ident
        if name == "independent":
            assert (stru < 0).any(), ident   # the clamp is exercised
    write_json(OUT, {"torch": torch.__version__, "weightsSeed": WEIGHTS_SEED, "inputs": [pair[0], independent[0]], "cases": cases})
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
