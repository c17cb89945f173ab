#!/usr/bin/env python3
"""Writes the golden values of the masked (weighted) SSIM tests from a float64 torch reference
of the definition, with torch autograd for the gradients.

Usage (torch and numpy; any recent version):
    /tmp/msenv/bin/python Scripts/make_masked_fixtures.py

Writes Tests/StructuralSimilarityTests/Fixtures/masked_ssim.json. The definition (see the
MaskedSSIM article): with W = G * w, the moments are normalised convolutions (Knutsson and
Westin 1993, "Normalized and differential convolution"; the masked SSIM of pytorch-msssim's
pull request #53):

    mu1 = G*(w x) / W,  mu2 = G*(w y) / W,  e11 = G*(w x^2) / W,  e22 = G*(w y^2) / W,
    e12 = G*(w x y) / W,  sigma1 = k (e11 - mu1^2), sigma2 = k (e22 - mu2^2), sigma12 = k (e12 - mu1 mu2)
    SSIM = (2 mu1 mu2 + C1)(2 sigma12 + C2) / ((mu1^2 + mu2^2 + C1)(sigma1 + sigma2 + C2) + eps)

defined where W > 0 (NaN elsewhere); loss = clamp((1 - SSIM) / 2, 0, 1); the weighted mean of a
map m is sum_{W > 0} w m / sum w over the output elements. G is the separable window (a 2-D
convolution with the outer product of the taps here, not the kernels' two passes), reading
beyond the edges through the border: reflect (no edge repeat, Kornia's) or replicate pad the
pixels and the weights alike; the zero border pads zero pixels of weight 1. The reference
computes e12 directly (the kernels use the variance of x - y): an independent formulation.
Gradients are torch autograd's of the mean loss and of the mean SSIM, with respect to both
images. Inputs are float32 values (stored as such), fed as float64, so the Swift Float and
Double paths see the same numbers.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "StructuralSimilarityTests", "Fixtures", "masked_ssim.json")


def taps(settings):
    size = settings["windowSize"]
    if settings["window"] == "uniform":
        return torch.full((size,), 1.0 / size)
    c = size // 2
    raw = torch.tensor([math.exp(-((i - c) ** 2) / (2 * settings["sigma"] ** 2)) for i in range(size)])
    return raw / raw.sum()


def pad(t, half, border, value):
    if half == 0:
        return t
    if border == "zero":
        return F.pad(t, (half, half, half, half), mode="constant", value=value)
    return F.pad(t, (half, half, half, half), mode={"reflect": "reflect", "replicate": "replicate"}[border])


def filt(t, g, border, value):
    size = g.numel()
    kernel = torch.outer(g, g).reshape(1, 1, size, size)
    b, c, h, w = t.shape
    p = pad(t.reshape(b * c, 1, h, w), size // 2, border, value)
    return F.conv2d(p, kernel).reshape(b, c, h, w)


def masked_ssim(x, y, w, s):
    g = taps(s)
    border, k = s["border"], (s["windowSize"] ** 2 / (s["windowSize"] ** 2 - 1) if s["covariance"] == "sample" else 1.0)
    L = s["dataRange"]
    c1, c2 = (s["k1"] * L) ** 2, (s["k2"] * L) ** 2
    w = w.expand_as(x)
    keep = w > 0
    xs = torch.where(keep, x, torch.zeros_like(x))  # a weight of 0 hides the pixel, NaN included
    ys = torch.where(keep, y, torch.zeros_like(y))
    W = filt(w, g, border, 1.0)
    defined = W > 0
    safe = torch.where(defined, W, torch.ones_like(W))  # finite moments where undefined: no NaN in autograd
    def m(t):
        return filt(w * t, g, border, 0.0) / safe
    mu1, mu2 = m(xs), m(ys)
    s1 = k * (m(xs * xs) - mu1 * mu1)
    s2 = k * (m(ys * ys) - mu2 * mu2)
    s12 = k * (m(xs * ys) - mu1 * mu2)
    ssim = (2 * mu1 * mu2 + c1) * (2 * s12 + c2) / ((mu1 ** 2 + mu2 ** 2 + c1) * (s1 + s2 + c2) + s["eps"])
    ssim = torch.where(defined, ssim, torch.full_like(ssim, float("nan")))
    loss = torch.clamp((1 - ssim) / 2, 0, 1)
    if s["padding"] == "valid":
        h = s["windowSize"] // 2
        crop = lambda t: t[..., h:t.shape[-2] - h, h:t.shape[-1] - h]
        ssim, loss, w, defined = crop(ssim), crop(loss), crop(w), crop(defined)
    total = w.sum()
    def wmean(t):
        return torch.where(defined, w * t, torch.zeros_like(t)).sum() / total
    return ssim, loss, wmean(ssim), wmean(loss), torch.where(defined, w * loss, torch.zeros_like(loss)).sum()


KORNIA = dict(window="gaussian", sigma=1.5, windowSize=11, border="reflect", padding="same", covariance="population",
              k1=0.01, k2=0.03, dataRange=1.0, eps=1e-12)


def case(name, shape, weight_channels, settings, mask_kind, seed, nan_pixels=0):
    rng = np.random.default_rng(seed)
    x = rng.random(shape).astype(np.float32)
    y = np.clip(x + rng.normal(0, 0.1, shape), 0, 1).astype(np.float32)
    wshape = (shape[0], weight_channels, shape[2], shape[3])
    if mask_kind == "binary":
        # A disc and a rectangle hole: edges inside the image and a region larger than the window.
        yy, xx = np.mgrid[0:shape[2], 0:shape[3]]
        disc = ((yy - shape[2] * 0.45) ** 2 + (xx - shape[3] * 0.4) ** 2 <= (0.3 * min(shape[2:])) ** 2)
        w = np.broadcast_to(disc, wshape).astype(np.float32).copy()
        w[..., -3:, :] = 1
    elif mask_kind == "soft":
        w = rng.random(wshape).astype(np.float32)
        w[..., : shape[2] // 3, : shape[3] // 3] = 0
    elif mask_kind == "sparse":
        # Weight 0 over most of the image: the map is undefined (NaN) where no weight is in sight.
        w = np.zeros(wshape, np.float32)
        w[..., 2:6, 3:9] = rng.random((4, 6)).astype(np.float32)
        w[..., -2:, -4:] = 1
    w = np.ascontiguousarray(w)
    if nan_pixels:
        flat = x.reshape(-1)
        idx = rng.choice(flat.size, nan_pixels, replace=False)
        flat[idx] = np.nan
    tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    ty = torch.tensor(y, dtype=torch.float64, requires_grad=True)
    tw = torch.tensor(w, dtype=torch.float64)
    if nan_pixels:
        missing = torch.isnan(tx.detach()) | torch.isnan(ty.detach())
        tw = torch.where(missing, torch.zeros_like(tx.detach()), tw.expand_as(tx.detach()))
    ssim, loss, mean_ssim, mean_loss, sum_loss = masked_ssim(tx, ty, tw, settings)
    g1, g2 = torch.autograd.grad(mean_loss, (tx, ty), retain_graph=True)
    m1, m2 = torch.autograd.grad(mean_ssim, (tx, ty), retain_graph=True)
    s1, = torch.autograd.grad(sum_loss, (tx,))
    def flat(t):
        return [None if math.isnan(v) else v for v in t.detach().reshape(-1).tolist()]
    return dict(
        name=name, shape=list(shape), weightShape=list(wshape), settings=settings, ignoringNaN=bool(nan_pixels),
        x=flat(torch.tensor(x)), y=y.reshape(-1).tolist(), weights=w.reshape(-1).tolist(),
        map=flat(ssim), lossMap=flat(loss), meanSSIM=mean_ssim.item(), meanLoss=mean_loss.item(), sumLoss=sum_loss.item(),
        lossGrad1=flat(g1), lossGrad2=flat(g2), meanGrad1=flat(m1), meanGrad2=flat(m2), sumLossGrad1=flat(s1))


def main():
    cases = [
        case("kornia, binary mask shared by 3 channels", (1, 3, 30, 26), 1, KORNIA, "binary", 1),
        case("kornia, soft weights per channel, batch 2", (2, 2, 24, 21), 2, KORNIA, "soft", 2),
        case("kornia, sparse weights (undefined map)", (1, 1, 28, 25), 1, KORNIA, "sparse", 3),
        case("7-tap Gaussian sigma 1, replicate border", (1, 2, 20, 23), 1, dict(KORNIA, windowSize=7, sigma=1.0, border="replicate"), "binary", 4),
        case("zero border", (1, 1, 19, 22), 1, dict(KORNIA, border="zero", windowSize=9), "soft", 5),
        case("uniform 7, sample covariance, valid, eps 0", (1, 2, 22, 20), 1,
             dict(KORNIA, window="uniform", sigma=None, windowSize=7, covariance="sample", padding="valid", eps=0.0), "binary", 6),
        case("data range 255", (1, 1, 18, 20), 1, dict(KORNIA, dataRange=255.0, windowSize=5), "soft", 7),
        case("NaN pixels ignored", (1, 1, 24, 24), 1, KORNIA, "binary", 8, nan_pixels=9),
    ]
    with open(OUT, "w") as f:
        json.dump({"generator": "Scripts/make_masked_fixtures.py", "torch": torch.__version__, "cases": cases}, f)
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
