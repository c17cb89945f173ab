#!/usr/bin/env python3
"""Writes the reference values of Wang, Simoncelli and Bovik's multi-scale SSIM (issue 15) by
running the peer libraries, and float64 re-implementations where a peer cannot give float64.

Usage (outside the repo, in virtual environments; the versions this file was run with):
    python3 -m venv /tmp/msenv
    /tmp/msenv/bin/pip install torch==2.13.0+cpu pytorch-msssim==1.0.0 torchmetrics==1.9.0 \
        piq==0.8.0 numpy==2.4.6 scipy==1.17.1
    python3 -m venv /tmp/tfenv && /tmp/tfenv/bin/pip install tensorflow-cpu==2.21.0 numpy==2.4.6
    TF_PYTHON=/tmp/tfenv/bin/python /tmp/msenv/bin/python Scripts/make_wang_msssim_fixtures.py

(torch 2.13.0+cpu is a CPU build; any CPU torch 2.x should give the same float64 numbers.
piq depends on torchvision, but the PyPI torchvision wheel is a CUDA build that does not load
next to a CPU torch (and torchmetrics imports it when it is installed): uninstall it
(`/tmp/msenv/bin/pip uninstall -y torchvision`). piq's package __init__ imports torchvision for
its feature extractors, so this script imports piq's ms_ssim module without running
piq/__init__.py: see `import_piq_ms_ssim`. MS-SSIM itself uses no torchvision code.)

Writes Tests/StructuralSimilarityTests/Fixtures/wang_msssim.json (documented in
Documentation/WangMSSSIMReference.md):
- "inputs": image pairs stored as integer codes, base64 of little-endian uint8 or uint16, the
  value being code * scale (scale a power of two, so every value is a float32 exactly and the
  Float and Double paths read the same numbers), with float64 sums to check the decoding;
  "generatedInputs": pairs made from seeds by SplitMix64 exactly as SSIMTestSupport's
  randomTensor does (as in conventions.json), for the volumes too large to store.
- "cases": a preset, its peer call, its options, an input id, and results: the per-image
  MS-SSIM in float64 ("float64"; from the peer run in float64, or from this file's float64
  re-implementation where "source" is "reference"), the peer's own float32 result, the float64
  re-implementation of the rules ("reference", a cross-check asserted against the peer), torch
  autograd gradients (float64) of sum(MS-SSIM) and of mean(1 - MS-SSIM) with respect to both
  images at sampled pixels plus checksums over all pixels, and central finite differences for
  .wang and .tensorflow.
- "windows": the taps the peers really use (float32 windows even in float64 runs).
- "minimumSizes": each preset's size rule as the peer enforces it (its message) and the
  smallest size the algorithm itself can run at.

Sanity checks (asserted): each torch peer's float64 result equals the re-implementation of
its rules (1e-12) and is reproducible bit for bit; the NumPy/SciPy transcription of Wang's
msssim.m equals the torch re-implementation of its rules; on an even-sized pair every preset
whose rules then coincide agrees to the float32-window level; TensorFlow's float32 is within
1e-4 of the float64 re-implementation.
"""
import base64
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import types
import warnings

import numpy as np
import scipy
import scipy.ndimage
import scipy.signal
import torch
import torch.nn.functional as F

import pytorch_msssim
import torchmetrics  # noqa: F401
from fixture_inputs import splitmix64_uniform
from torchmetrics.functional.image import multiscale_structural_similarity_index_measure as tm_msssim
from torchmetrics.functional.image.ssim import _get_normalized_sim_and_cs as tm_sim_and_cs

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "StructuralSimilarityTests", "Fixtures", "wang_msssim.json")
TF_PYTHON = os.environ.get("TF_PYTHON", "/tmp/tfenv/bin/python")
WEIGHTS = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333]
torch.set_num_threads(1)  # two cores shared with other builds; also keeps the runs reproducible


def import_piq_ms_ssim():
    """piq's ms_ssim module without piq/__init__.py (which imports torchvision for FID/LPIPS)."""
    spec = importlib.util.find_spec("piq")
    package = types.ModuleType("piq")
    package.__path__ = list(spec.submodule_search_locations)
    package.__version__ = "0.8.0"
    sys.modules["piq"] = package
    import piq.ms_ssim as module
    return module


piq_ms_ssim = import_piq_ms_ssim()
from importlib.metadata import version as dist_version  # noqa: E402

pytorch_msssim_module = importlib.import_module("pytorch_msssim.ssim")  # the package re-exports a function of that name
VERSIONS = {name: dist_version(name) for name in ["torch", "pytorch-msssim", "torchmetrics", "piq", "numpy", "scipy"]}
assert VERSIONS["pytorch-msssim"] == "1.0.0" and VERSIONS["torchmetrics"] == "1.9.0" and VERSIONS["piq"] == "0.8.0", VERSIONS


# ---------------------------------------------------------------- inputs

def encode(codes, dtype):
    return base64.b64encode(np.ascontiguousarray(codes.astype(dtype)).tobytes()).decode("ascii")


def stored_input(ident, description, x_codes, y_codes, scale, dtype):
    """An input pair as codes; the values are code * scale (float32 exactly)."""
    assert x_codes.shape == y_codes.shape
    assert x_codes.min() >= 0 and max(x_codes.max(), y_codes.max()) < (256 if dtype == "<u1" else 65536)
    x = (x_codes.astype(np.float64) * scale)
    y = (y_codes.astype(np.float64) * scale)
    assert np.array_equal(x.astype(np.float32).astype(np.float64), x)
    record = {"id": ident, "description": description, "shape": list(x_codes.shape), "scale": scale,
              "codes": "u8" if dtype == "<u1" else "u16le", "x": encode(x_codes, dtype), "y": encode(y_codes, dtype),
              "sumX": float(x.sum()), "sumY": float(y.sum())}
    return record, x, y


def generated_input(ident, description, shape, seed_x, seed_y, mix):
    """x = float32(randomTensor(seed_x)); y = float32(mix x + (1 - mix) r), r = float32(randomTensor(seed_y)),
    the product and the sum in float64 (exactly as conventions.json's generated case)."""
    n = int(np.prod(shape))
    x = splitmix64_uniform(seed_x, n).astype(np.float32).astype(np.float64)
    r = splitmix64_uniform(seed_y, n).astype(np.float32).astype(np.float64)
    y = (mix * x + (1 - mix) * r).astype(np.float32).astype(np.float64)
    record = {"id": ident, "description": description, "shape": list(shape),
              "generated": {"seedX": seed_x, "seedY": seed_y, "mix": mix}, "sumX": float(x.sum()), "sumY": float(y.sum())}
    return record, x.reshape(shape), y.reshape(shape)


def scene(rng, b, c, h, w):
    """A structured image in [0, 1]: oriented waves, a disc, blurred noise (texture at every scale)."""
    yy, xx = np.meshgrid(np.arange(h) / h, np.arange(w) / w, indexing="ij")
    out = np.empty((b, c, h, w))
    for i in range(b):
        for j in range(c):
            f1, f2, ph = rng.uniform(2, 7), rng.uniform(1, 5), rng.uniform(0, 6.3)
            wave = 0.25 * np.sin(2 * np.pi * (f1 * xx + f2 * yy) + ph) * np.cos(2 * np.pi * f2 * xx * 0.5)
            cx, cy, r = rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7), rng.uniform(0.1, 0.25)
            disc = 0.2 * (((xx - cx) ** 2 + (yy - cy) ** 2) < r * r)
            noise = scipy.ndimage.gaussian_filter(rng.normal(0, 1, (h, w)), 1.5 + 3 * rng.random())
            noise = 0.15 * noise / noise.std()
            out[i, j] = 0.45 + wave + disc - 0.1 + noise + rng.normal(0, 0.02, (h, w))
    return np.clip(out, 0, 1)


def distort(rng, x):
    """Blur, a contrast change and noise: a typical 'degraded' image."""
    y = scipy.ndimage.gaussian_filter(x, sigma=(0, 0, 0.9, 0.9)) * 0.92 + 0.04
    return np.clip(y + rng.normal(0, 0.03, x.shape), 0, 1)


def make_inputs():
    rng = np.random.default_rng(20031109)
    inputs, arrays = [], {}

    def add(record, x, y):
        inputs.append(record)
        arrays[record["id"]] = (x, y)

    # [0, 1] data as multiples of 2^-8 (codes 0...255, so values in [0, 255/256]).
    x = scene(rng, 2, 1, 181, 203)
    add(*stored_input("scene-181x203-b2c1-unit", "structured scene and its blurred/noisy copy, batch 2, 1 channel, values k/256",
                      np.round(x * 255), np.round(distort(rng, x) * 255), 2.0 ** -8, "<u1"))
    # 8-bit data, range 255.
    x = scene(rng, 1, 3, 176, 176)
    add(*stored_input("scene-176x176-b1c3-8bit", "structured 3-channel scene and a degraded copy, 8-bit integers",
                      np.round(x * 255), np.round(distort(rng, x) * 255), 1.0, "<u1"))
    x = scene(rng, 2, 1, 161, 162)
    add(*stored_input("scene-161x162-b2c1-8bit", "structured scene, batch 2, odd height and even width, 8-bit integers",
                      np.round(x * 255), np.round(distort(rng, x) * 255), 1.0, "<u1"))
    # near-identical: codes of 2^-12, the second image differs by -1, 0 or +1 code.
    x = np.round(scene(rng, 1, 1, 177, 176) * 4000) + 48
    step = rng.integers(-1, 2, x.shape)
    add(*stored_input("near-identical-177x176-unit", "structured scene and a copy off by at most one code (2^-12)",
                      x, x + step, 2.0 ** -12, "<u2"))
    # negative: y = 255/256 - x, so every contrast-structure term is negative.
    x = np.round(scene(rng, 1, 1, 176, 176) * 255)
    add(*stored_input("negative-176x176-unit", "a scene and its negative (codes 255 - k): negative contrast terms at every scale",
                      x, 255 - x, 2.0 ** -8, "<u1"))
    # partly negative: the same fine noise, an inverted coarse wave: cs > 0 at scales 1-2, < 0 at scales 3-5.
    yy, xx = np.meshgrid(np.arange(176), np.arange(176), indexing="ij")
    coarse = 0.3 * np.sin(2 * np.pi * xx / 80) * np.cos(2 * np.pi * yy / 104)
    fine = rng.normal(0, 0.1, (1, 1, 176, 176))
    xc = np.round(np.clip(0.5 + coarse + fine, 0, 1) * 255)
    yc = np.round(np.clip(0.5 - coarse + fine, 0, 1) * 255)
    add(*stored_input("coarse-inverted-176x176-unit", "same fine noise, inverted coarse wave: cs > 0 at scales 1-2, negative terms at scales 3-5",
                      xc, yc, 2.0 ** -8, "<u1"))
    # smooth, bright 8-bit: E[x^2] ~ 4e4 against variances of a few units, where float32 cancels digits.
    yy, xx = np.meshgrid(np.arange(176) / 176, np.arange(177) / 177, indexing="ij")
    smooth = 200 + 30 * np.sin(2 * np.pi * (0.7 * xx + 0.4 * yy)) + 15 * np.cos(2 * np.pi * 1.3 * yy)
    xs = np.round(smooth + rng.normal(0, 1.0, smooth.shape))[None, None]
    ys = np.round(scipy.ndimage.gaussian_filter(smooth, 1.0) + rng.normal(0, 1.5, smooth.shape))[None, None]
    add(*stored_input("smooth-176x177-8bit", "smooth bright 8-bit image (values ~155-245) and a noisier copy: float32 cancellation",
                      xs, ys, 1.0, "<u1"))
    # small: for a 7-tap window (sizes the 11-tap presets reject).
    x = scene(rng, 1, 1, 113, 118)
    add(*stored_input("scene-113x118-8bit", "structured scene for a 7-tap sigma 1.0 window, 8-bit integers",
                      np.round(x * 255), np.round(distort(rng, x) * 255), 1.0, "<u1"))
    # volumes (pytorch-msssim's 5-D ms_ssim), generated.
    add(*generated_input("volume-11x161x163", "volume (B, C, D, H, W) = (1, 1, 11, 161, 163): the smallest 11-tap volume", (1, 1, 11, 161, 163), 31, 32, 0.7))
    add(*generated_input("volume-b2c2-20x40x37", "volume (2, 2, 20, 40, 37) for a 3-tap sigma 0.5 window", (2, 2, 20, 40, 37), 33, 34, 0.8))
    return inputs, arrays


# ---------------------------------------------------------------- windows

def pytorch_msssim_window(size, sigma):
    """pytorch-msssim's _fspecial_gauss_1d: built in float32 whatever the input (then .to(X.dtype))."""
    return pytorch_msssim_module._fspecial_gauss_1d(size, sigma).flatten().to(torch.float64)


def fspecial_gaussian(size, sigma):
    """MATLAB fspecial('gaussian', size, sigma) in float64 (taps below eps * max zeroed, none for 11/1.5)."""
    r = (size - 1) / 2
    yy, xx = np.meshgrid(np.arange(-r, r + 1), np.arange(-r, r + 1), indexing="ij")
    h = np.exp(-(xx * xx + yy * yy) / (2 * sigma * sigma))
    h[h < np.finfo(float).eps * h.max()] = 0
    return h / h.sum()


def torchmetrics_window(sigma):
    """torchmetrics' _gaussian_kernel_2d in float64: 1-D taps int(3.5 sigma + 0.5) * 2 + 1 long, outer product."""
    from torchmetrics.functional.image.utils import _gaussian_kernel_2d
    n = int(3.5 * sigma + 0.5) * 2 + 1
    return _gaussian_kernel_2d(1, [n, n], [sigma, sigma], torch.float64, "cpu")[0, 0]


def piq_window(size, sigma):
    from piq.functional.filters import gaussian_filter
    return gaussian_filter(size, sigma, dtype=torch.float64)[0]


# ---------------------------------------------------------------- the float64 re-implementation (torch, differentiable)

def blur(x, rule):
    """The local mean of every pixel with the window, 'valid' (no padding)."""
    c = x.shape[1]
    if "window2d" in rule:
        k = rule["window2d"]
        return F.conv2d(x, k.expand(c, 1, *k.shape), groups=c)
    taps = rule["window1d"]
    n = taps.numel()
    out = x
    spatial = x.dim() - 2
    conv = F.conv2d if spatial == 2 else F.conv3d
    for axis in range(spatial):
        if out.shape[2 + axis] < n:
            continue  # pytorch-msssim skips the smoothing of a dimension shorter than the window (with a warning)
        shape = [1] * spatial
        shape[axis] = n
        out = conv(out, taps.view(1, 1, *shape).expand(c, 1, *shape), groups=c)
    return out


def downsample(x, rule):
    kind = rule["downsample"]
    spatial = x.dim() - 2
    pool = F.avg_pool2d if spatial == 2 else F.avg_pool3d
    sizes = x.shape[2:]
    if kind in ("wang", "tensorflow"):
        # symmetric padding of one row/column at the bottom/right of an odd dimension (the last row repeated),
        # then 2 x 2 means at even offsets: the halved size is ceil(n / 2)
        pad = []
        for s in reversed(sizes):
            pad += [0, s % 2]
        if any(pad):
            x = F.pad(x, pad, mode="replicate")  # one row: symmetric == replicate
        return pool(x, 2)
    if kind == "pytorchMSSSIM":
        # avg_pool(kernel 2, padding n % 2 per dimension): a zero before the first row/column, counted in the mean
        return pool(x, kernel_size=2, padding=[s % 2 for s in sizes])
    if kind == "piq":
        # one replicated row AND column before the first if EITHER dimension is odd, then floor
        p = max(s % 2 for s in sizes)
        if p:
            x = F.pad(x, [p, 0, p, 0], mode="replicate")
        return pool(x, 2)
    if kind == "torchmetrics":
        return pool(x, 2)  # floor: an odd last row/column is dropped
    raise ValueError(kind)


def scale_terms(x, y, rule, data_range):
    """Per-scale (ssim, cs), each (B, C) or (B,) when channels are pooled before the product."""
    k1, k2 = rule["k"]
    c1, c2 = (k1 * data_range) ** 2, (k2 * data_range) ** 2
    if rule.get("border") == "reflectSame":  # torchmetrics: reflect-pad (window - 1) / 2, so the maps are "same" size
        p = (rule["window2d"].shape[-1] - 1) // 2
        x = F.pad(x, [p, p, p, p], mode="reflect")
        y = F.pad(y, [p, p, p, p], mode="reflect")
    mx, my = blur(x, rule), blur(y, rule)
    if rule.get("csFormula") == "tensorflow":
        num0 = mx * my * 2.0
        den0 = mx * mx + my * my
        lum = (num0 + c1) / (den0 + c1)
        num1 = blur(x * y, rule) * 2.0
        den1 = blur(x * x + y * y, rule)
        cs_map = (num1 - num0 + c2) / (den1 - den0 + c2)
        ssim_map = lum * cs_map
    else:
        sxx = blur(x * x, rule) - mx * mx
        syy = blur(y * y, rule) - my * my
        sxy = blur(x * y, rule) - mx * my
        if rule.get("clampVariance"):
            sxx, syy = sxx.clamp(min=0), syy.clamp(min=0)
        cs_map = (2 * sxy + c2) / (sxx + syy + c2)
        ssim_map = (2 * mx * my + c1) / (mx * mx + my * my + c1) * cs_map
    if rule.get("border") == "reflectSame":
        cs_map = cs_map[..., p:-p, p:-p]  # cs over the valid part; the ssim over the whole (padded) map
    dims = tuple(range(2, ssim_map.dim()))
    if rule["channelPooling"] == "beforeProduct":
        dims = tuple(range(1, ssim_map.dim()))
    return ssim_map.mean(dims), cs_map.mean(dims)


def reference_msssim(x, y, rule):
    """MS-SSIM per image under a rule set (torch float64); see the note for each key."""
    weights = torch.tensor(rule["weights"], dtype=torch.float64)
    terms = []
    for level in range(len(weights)):
        if level > 0:
            x, y = downsample(x, rule), downsample(y, rule)
        if rule["dataRange"] == "batchSpan":  # torchmetrics data_range=None: max - min of the batch, at every scale
            a, b = x.max() - x.min(), y.max() - y.min()
            data_range = b if bool(b > a) else a  # Python's max(a, b) as torchmetrics calls it: a tie takes the first
        else:
            data_range = rule["dataRange"]
        if rule.get("normaliseInput"):  # piq: x / data_range first, then C = K^2
            s, cs = scale_terms(x / data_range, y / data_range, rule, 1.0)
        else:
            s, cs = scale_terms(x, y, rule, data_range)
        terms.append(cs if level < len(weights) - 1 else s)
    stack = torch.stack(terms)
    if rule["clamping"] == "relu":
        stack = torch.relu(stack)
    elif rule["clamping"] == "simple":
        stack = (stack + 1) / 2
    shape = [-1] + [1] * (stack.dim() - 1)
    value = torch.prod(stack ** weights.view(shape), dim=0)
    return value if value.dim() == 1 else value.mean(1)


def rules(preset, window_size=11, sigma=1.5, data_range=None, ndim=2):
    if preset == "wang":
        return {"window2d": torch.tensor(fspecial_gaussian(window_size, sigma)), "downsample": "wang", "k": (0.01, 0.03),
                "clamping": "none", "channelPooling": "afterProduct", "dataRange": 255.0 if data_range is None else data_range,
                "weights": WEIGHTS}
    if preset == "tensorflow":
        return {"window2d": tf_window(window_size, sigma), "downsample": "tensorflow", "k": (0.01, 0.03), "clamping": "relu",
                "csFormula": "tensorflow", "channelPooling": "afterProduct", "dataRange": data_range, "weights": WEIGHTS}
    if preset == "pytorchMSSSIM":
        return {"window1d": pytorch_msssim_window(window_size, sigma), "downsample": "pytorchMSSSIM", "k": (0.01, 0.03),
                "clamping": "relu", "channelPooling": "afterProduct", "dataRange": 255.0 if data_range is None else data_range,
                "weights": WEIGHTS}
    if preset in ("torchmetrics", "torchmetricsSimple"):
        return {"window2d": torchmetrics_window(sigma), "downsample": "torchmetrics", "k": (0.01, 0.03),
                "clamping": "relu" if preset == "torchmetrics" else "simple", "border": "reflectSame", "clampVariance": True,
                "channelPooling": "beforeProduct", "dataRange": "batchSpan" if data_range is None else data_range,
                "weights": torch.tensor(WEIGHTS, dtype=torch.float32).tolist()}
    if preset == "piq":
        return {"window2d": piq_window(window_size, sigma), "downsample": "piq", "k": (0.01, 0.03), "clamping": "relu",
                "normaliseInput": True, "channelPooling": "afterProduct", "dataRange": 1.0 if data_range is None else data_range,
                "weights": WEIGHTS}
    raise ValueError(preset)


# ---------------------------------------------------------------- Wang's msssim.m, transcribed in NumPy/SciPy

def wang_ssim_index_new(img1, img2, K, win, L=255.0):
    """ssim_index_new.m: C = (K L)^2 (L = 255 in the .m file), win / sum(win), filter2(win, ., 'valid')
    (a correlation; the Gaussian is symmetric), the maps' means mssim and mcs."""
    C1, C2 = (K[0] * L) ** 2, (K[1] * L) ** 2
    win = win / win.sum()

    def filter2(a):
        return scipy.signal.correlate2d(a, win, mode="valid")
    mu1, mu2 = filter2(img1), filter2(img2)
    mu1_sq, mu2_sq, mu1_mu2 = mu1 * mu1, mu2 * mu2, mu1 * mu2
    sigma1_sq = filter2(img1 * img1) - mu1_sq
    sigma2_sq = filter2(img2 * img2) - mu2_sq
    sigma12 = filter2(img1 * img2) - mu1_mu2
    ssim_map = ((2 * mu1_mu2 + C1) * (2 * sigma12 + C2)) / ((mu1_sq + mu2_sq + C1) * (sigma1_sq + sigma2_sq + C2))
    cs_map = (2 * sigma12 + C2) / (sigma1_sq + sigma2_sq + C2)
    return ssim_map.mean(), cs_map.mean()


def wang_msssim_2d(img1, img2, K=(0.01, 0.03), win=None, level=5, weight=WEIGHTS, L=255.0):
    """msssim.m with method 'product'. Returns -inf where msssim.m does (min(M, N) / 2^(level-1) < 11 for 11 taps)."""
    win = fspecial_gaussian(11, 1.5) if win is None else win
    M, N = img1.shape
    if M < 11 or N < 11 or min(M, N) / 2 ** (level - 1) < max(win.shape):
        return -np.inf
    downsample_filter = np.ones((2, 2)) / 4
    im1, im2 = img1.astype(np.float64), img2.astype(np.float64)
    mssim, mcs = [], []
    for _ in range(level):
        s, cs = wang_ssim_index_new(im1, im2, K, win, L)
        mssim.append(s)
        mcs.append(cs)
        # imfilter(im, ones(2)/4, 'symmetric', 'same'): the 2 x 2 kernel's centre is (1, 1), so out(i, j) is the mean
        # of im(i:i+1, j:j+1) with one mirrored row/column after the last; then im(1:2:end, 1:2:end)
        padded = np.pad(im1, ((0, 1), (0, 1)), mode="symmetric")
        f1 = scipy.signal.correlate2d(padded, downsample_filter, mode="valid")
        padded = np.pad(im2, ((0, 1), (0, 1)), mode="symmetric")
        f2 = scipy.signal.correlate2d(padded, downsample_filter, mode="valid")
        im1, im2 = f1[::2, ::2], f2[::2, ::2]
    with np.errstate(invalid="ignore"):  # a negative term to a fractional power: NaN here (complex in MATLAB)
        return float(np.prod(np.power(mcs[:-1], weight[:-1])) * mssim[-1] ** weight[-1])


def wang_numpy(x, y, L=255.0, win=None):
    """.wang per image: every channel through Wang's 2-D code, then the mean over channels."""
    out = []
    for b in range(x.shape[0]):
        out.append(float(np.mean([wang_msssim_2d(x[b, c], y[b, c], L=L, win=win) for c in range(x.shape[1])])))
    return out


# ---------------------------------------------------------------- TensorFlow (its own float32, in its venv)

TF_HELPER = r'''
import json, sys
import numpy as np
import tensorflow as tf
from tensorflow.python.ops import image_ops_impl
tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
job = json.load(open(sys.argv[1]))
data = np.load(sys.argv[2])
out = {"version": tf.__version__, "windows": {}, "cases": {}, "errors": {}}
for key, (size, sigma) in job["windows"].items():
    out["windows"][key] = image_ops_impl._fspecial_gauss(size, tf.constant(sigma, tf.float32)).numpy().reshape(size, size).astype(np.float64).tolist()
for name, c in job["cases"].items():
    x = tf.constant(np.moveaxis(data[c["input"] + "_x"], 1, -1).astype(np.float32))
    y = tf.constant(np.moveaxis(data[c["input"] + "_y"], 1, -1).astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        v = tf.image.ssim_multiscale(x, y, max_val=c["maxVal"], filter_size=c["size"], filter_sigma=c["sigma"])
        total = tf.reduce_sum(v)
    g = np.moveaxis(tape.gradient(total, x).numpy(), -1, 1).astype(np.float64)
    out["cases"][name] = {"values": v.numpy().astype(np.float64).tolist(), "grad": g.flatten()[c["pixels"]].tolist(),
                          "gradMaxAbs": float(np.abs(g).max())}
for name, shape in job["errors"].items():
    z = tf.zeros(shape, tf.float32)
    try:
        tf.image.ssim_multiscale(z, z, max_val=1.0)
        out["errors"][name] = None
    except Exception as e:
        out["errors"][name] = type(e).__name__ + ": " + str(e).strip().splitlines()[0][:400]
json.dump(out, open(sys.argv[3], "w"))
'''

_TF_WINDOWS = {}


def tf_window(size, sigma):
    return _TF_WINDOWS[(size, sigma)]


def run_tensorflow(tf_cases, arrays, windows, errors):
    with tempfile.TemporaryDirectory() as tmp:
        job, npz, res, helper = (os.path.join(tmp, n) for n in ("job.json", "data.npz", "out.json", "helper.py"))
        needed = {c["input"] for c in tf_cases.values()}
        np.savez(npz, **{f"{k}_{s}": arrays[k][i] for k in needed for i, s in enumerate("xy")})
        json.dump({"cases": tf_cases, "windows": windows, "errors": errors}, open(job, "w"))
        open(helper, "w").write(TF_HELPER)
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="")
        subprocess.run([TF_PYTHON, helper, job, npz, res], check=True, env=env)
        return json.load(open(res))


# ---------------------------------------------------------------- peers (torch, float64 and float32)

def peer_call(preset, x, y, opts):
    """The peer's MS-SSIM per image (a (B,) tensor)."""
    size, sigma, dr = opts.get("windowSize", 11), opts.get("sigma", 1.5), opts.get("dataRange")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if preset == "pytorchMSSSIM":
            return pytorch_msssim.ms_ssim(x, y, data_range=dr, size_average=False, win_size=size, win_sigma=sigma)
        if preset == "piq":
            return piq_ms_ssim.multi_scale_ssim(x, y, data_range=dr, reduction="none", kernel_size=size, kernel_sigma=sigma)
        if preset in ("torchmetrics", "torchmetricsSimple", "torchmetricsNone"):
            normalize = {"torchmetrics": "relu", "torchmetricsSimple": "simple", "torchmetricsNone": None}[preset]
            return tm_msssim(x, y, data_range=dr, reduction="none", normalize=normalize, sigma=sigma, kernel_size=size)
    raise ValueError(preset)


def call_text(preset, opts):
    size, sigma, dr = opts.get("windowSize", 11), opts.get("sigma", 1.5), opts.get("dataRange")
    extra = "" if (size, sigma) == (11, 1.5) else None
    if preset == "pytorchMSSSIM":
        extra = "" if extra == "" else f", win_size={size}, win_sigma={sigma}"
        return f"pytorch_msssim.ms_ssim(X, Y, data_range={dr}, size_average=False{extra})"
    if preset == "piq":
        extra = "" if extra == "" else f", kernel_size={size}, kernel_sigma={sigma}"
        return f"piq.multi_scale_ssim(x, y, data_range={dr}, reduction='none'{extra})"
    if preset in ("torchmetrics", "torchmetricsSimple"):
        norm = "" if preset == "torchmetrics" else ", normalize='simple'"
        return f"torchmetrics.functional.image.multiscale_structural_similarity_index_measure(preds, target, data_range={dr}, reduction='none'{norm})"
    if preset == "torchmetricsNone":
        return f"torchmetrics.functional.image.multiscale_structural_similarity_index_measure(preds, target, data_range={dr}, reduction='none', normalize=None)"
    if preset == "tensorflow":
        extra = "" if extra == "" else f", filter_size={size}, filter_sigma={sigma}"
        return f"tf.image.ssim_multiscale(img1, img2, max_val={dr}{extra})  # NHWC"
    if preset == "wang":
        return ("msssim(img1, img2)  % Wang's msssim.m, L = 255, per channel, then the mean" if dr in (None, 255.0)
                else f"msssim.m with L = {dr} in ssim_index_new.m's C1/C2, per channel, then the mean")
    raise ValueError(preset)


def sample_pixels(shape, rng):
    """Flat indices: corners, edges and centre lines of every (image, channel) plane, and a few random pixels."""
    spatial = shape[2:]
    picks = []
    for b in range(shape[0]):
        for c in range(shape[1]):
            axes = [sorted({0, 1, n // 2, n - 2, n - 1}) for n in spatial]
            if len(spatial) == 3:
                axes[0] = sorted({0, spatial[0] // 2, spatial[0] - 1})
            grid = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, len(spatial))
            rand = np.stack([rng.integers(0, n, 8) for n in spatial], -1)
            for p in np.concatenate([grid, rand]):
                picks.append(int(np.ravel_multi_index((b, c, *p), shape)))
    return sorted(set(picks))


def grad_record(g, pixels, values):
    g = g.detach().numpy()
    return {"samples": g.flatten()[pixels].tolist(), "maxAbs": float(np.abs(g).max()), "sum": float(g.sum()),
            "sumAbs": float(np.abs(g).sum()), "dotInput": float((g * values).sum())}


def autograd(fn, x, y, pixels):
    """Gradients of sum over images of MS-SSIM and of mean(1 - MS-SSIM), both images, float64."""
    out = {}
    for key, reduce in (("sum", lambda v: v.sum()), ("meanLoss", lambda v: (1 - v).mean())):
        tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        ty = torch.tensor(y, dtype=torch.float64, requires_grad=True)
        reduce(fn(tx, ty)).backward()
        out[key] = {"x": grad_record(tx.grad, pixels, x), "y": grad_record(ty.grad, pixels, y)}
    return out


def finite_differences(fn_numpy, x, y, pixels, h):
    """Central differences of sum over images of MS-SSIM at a few pixels of the first image."""
    out = []
    flat = x.reshape(-1)
    for p in pixels:
        xp, xm = flat.copy(), flat.copy()
        xp[p] += h
        xm[p] -= h
        out.append((sum(fn_numpy(xp.reshape(x.shape), y)) - sum(fn_numpy(xm.reshape(x.shape), y))) / (2 * h))
    return out


def nan_safe(v):
    if isinstance(v, float):
        if np.isnan(v):
            return "nan"
        if np.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    if isinstance(v, dict):
        return {k: nan_safe(u) for k, u in v.items()}
    if isinstance(v, (list, tuple)):
        return [nan_safe(u) for u in v]
    return v


def close(a, b, tol):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return bool(np.all((np.isnan(a) & np.isnan(b)) | (np.abs(a - b) <= tol)))


def max_diff(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    ok = ~(np.isnan(a) | np.isnan(b))
    return float(np.abs(a[ok] - b[ok]).max()) if ok.any() else 0.0


OPTION_TEXT = {
    "wang": {"downsampling": "2x2 mean, one symmetric (repeated) row/column after an odd last, every other pixel from the first: ceil(n/2)",
             "clamping": "none (a negative term gives NaN)", "channelPooling": "mean over channels of each channel's MS-SSIM",
             "border": "valid", "window": "fspecial('gaussian', 11, 1.5) float64, 2-D"},
    "tensorflow": {"downsampling": "symmetric pad of the odd dimension at the bottom/right (last row repeated), 2x2 VALID avg_pool: ceil(n/2)",
                   "clamping": "relu on every cs and the last ssim", "channelPooling": "mean over channels after the product",
                   "border": "valid", "window": "softmax of -(x^2+y^2)/(2 sigma^2) in float32, 2-D (see windows)"},
    "pytorchMSSSIM": {"downsampling": "avg_pool(2, padding=n%2): a zero row/column before the first (and after the last, unused), counted: ceil(n/2)",
                      "clamping": "relu on every cs and the last ssim", "channelPooling": "mean over channels after the product",
                      "border": "valid (a dimension shorter than the window is not smoothed)", "window": "1-D Gaussian built in float32, separable (see windows)"},
    "torchmetrics": {"downsampling": "avg_pool2d(2): floor(n/2), an odd last row/column dropped",
                     "clamping": "relu (normalize='relu')", "channelPooling": "mean over channels and pixels at each scale, before the product",
                     "border": "cs: valid; the last scale's ssim: mean of the full map with reflect padding of 5",
                     "window": "1-D Gaussian float64 of int(3.5 sigma + 0.5) * 2 + 1 taps, outer product", "variance": "sigma_x^2, sigma_y^2 clamped at 0",
                     "weights": "float32-rounded betas"},
    "piq": {"downsampling": "if H or W is odd, one replicated row AND column before the first (both dimensions), avg_pool2d(2) floor",
            "clamping": "relu on every cs and the last ssim", "channelPooling": "mean over channels after the product",
            "border": "valid", "window": "2-D Gaussian float64", "dataRange": "inputs divided by data_range, C = K^2"},
}
OPTION_TEXT["torchmetricsSimple"] = dict(OPTION_TEXT["torchmetrics"], clamping="(term + 1) / 2, no relu (normalize='simple')")
OPTION_TEXT["torchmetricsNone"] = dict(OPTION_TEXT["torchmetrics"], clamping="none (normalize=None): NaN from a negative term")


def options_record(preset, opts, rule):
    rec = {"weights": [float(w) for w in rule["weights"]], "windowSize": opts.get("windowSize", 11), "sigma": opts.get("sigma", 1.5),
           "k1": 0.01, "k2": 0.03, "dataRange": rule["dataRange"]}
    rec.update(OPTION_TEXT[preset])
    return rec


def main():
    inputs, arrays = make_inputs()
    rng = np.random.default_rng(7)
    tf_windows_job = {"11/1.5": (11, 1.5), "7/1.0": (7, 1.0)}

    # Which presets run on which input (with options). dataRange None for torchmetrics = its default (batch span).
    plan = []
    unit = ["scene-181x203-b2c1-unit", "near-identical-177x176-unit", "negative-176x176-unit", "coarse-inverted-176x176-unit"]
    eight = ["scene-176x176-b1c3-8bit", "smooth-176x177-8bit"]
    for ident in unit + eight:
        dr = 1.0 if ident.endswith("unit") else 255.0
        for preset in ["wang", "pytorchMSSSIM", "tensorflow", "torchmetrics", "torchmetricsSimple", "piq"]:
            plan.append((preset, ident, {"dataRange": dr}))
        if ident.endswith("unit"):
            plan.append(("wang", ident, {"dataRange": 255.0}))  # msssim.m as written (L = 255) on [0, 1] data
    plan.append(("torchmetrics", "scene-181x203-b2c1-unit", {"dataRange": None}))  # its default call: range from the data, per scale
    plan.append(("torchmetrics", "scene-176x176-b1c3-8bit", {"dataRange": None}))
    plan.append(("torchmetricsNone", "negative-176x176-unit", {"dataRange": 1.0}))
    plan.append(("torchmetricsNone", "coarse-inverted-176x176-unit", {"dataRange": 1.0}))
    for preset in ["pytorchMSSSIM", "tensorflow", "piq"]:
        plan.append((preset, "scene-161x162-b2c1-8bit", {"dataRange": 255.0}))
        plan.append((preset, "scene-113x118-8bit", {"dataRange": 255.0, "windowSize": 7, "sigma": 1.0}))
    plan.append(("wang", "scene-113x118-8bit", {"dataRange": 255.0, "windowSize": 7, "sigma": 1.0}))
    plan.append(("pytorchMSSSIM", "volume-11x161x163", {"dataRange": 1.0}))
    plan.append(("pytorchMSSSIM", "volume-b2c2-20x40x37", {"dataRange": 1.0, "windowSize": 3, "sigma": 0.5}))

    # TensorFlow first (its windows are the float32 taps of the .tensorflow reference).
    tf_cases, errors = {}, {"160x160": [1, 160, 160, 1], "161x161": [1, 161, 161, 1], "170x161": [1, 170, 161, 1]}
    pixels_of = {}
    for ident in arrays:
        pixels_of[ident] = sample_pixels(arrays[ident][0].shape, rng)
    for n, (preset, ident, opts) in enumerate(plan):
        if preset == "tensorflow":
            tf_cases[f"{n}"] = {"input": ident, "maxVal": opts["dataRange"], "size": opts.get("windowSize", 11),
                                "sigma": opts.get("sigma", 1.5), "pixels": pixels_of[ident]}
    tf_out = run_tensorflow(tf_cases, arrays, tf_windows_job, errors)
    for key, (size, sigma) in tf_windows_job.items():
        _TF_WINDOWS[(size, sigma)] = torch.tensor(tf_out["windows"][key], dtype=torch.float64)
    VERSIONS["tensorflow-cpu"] = tf_out["version"]

    cases, summary = [], []
    for n, (preset, ident, opts) in enumerate(plan):
        x, y = arrays[ident]
        size, sigma = opts.get("windowSize", 11), opts.get("sigma", 1.5)
        rule = rules("torchmetrics" if preset == "torchmetricsNone" else preset, size, sigma, opts["dataRange"])
        if preset == "torchmetricsNone":
            rule["clamping"] = "none"
        pixels = pixels_of[ident]
        name = f"{preset}-{ident}" + ("" if (size, sigma) == (11, 1.5) else f"-win{size}")
        name += {None: "-dataRangeNone"}.get(opts["dataRange"], "") if preset.startswith("torchmetrics") else ""
        if preset == "wang" and opts["dataRange"] == 255.0 and ident.endswith("unit"):
            name += "-L255"
        ref_fn = lambda a, b: reference_msssim(a, b, rule)  # noqa: E731
        reference = ref_fn(torch.tensor(x), torch.tensor(y)).tolist()
        case = {"name": name, "preset": preset, "input": ident, "call": call_text(preset, opts), "options": options_record(preset, opts, rule)}
        if preset in ("pytorchMSSSIM", "piq", "torchmetrics", "torchmetricsSimple", "torchmetricsNone"):
            fn = lambda a, b: peer_call(preset, a, b, opts)  # noqa: E731
            v64 = fn(torch.tensor(x), torch.tensor(y))
            assert v64.dtype == torch.float64, (name, v64.dtype)
            again = fn(torch.tensor(x), torch.tensor(y))
            assert torch.equal(v64.isnan(), again.isnan()) and close(v64, again, 0.0), f"{name}: not reproducible"
            v32 = fn(torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)).double()
            v64 = v64.tolist()
            assert close(v64, reference, 1e-12), f"{name}: peer {v64} vs reference {reference}"
            case.update(source="peer", float64=v64, peerFloat32=v32.tolist(), reference=reference,
                        maxAbsFloat32MinusFloat64=max_diff(v32.tolist(), v64), pixels=pixels)
            case["gradients"] = autograd(fn, x, y, pixels)
            ref_grad = autograd(ref_fn, x, y, pixels)
            if preset.startswith("torchmetrics"):
                # torch's pow backward takes beta - 1 in the betas' float32: where a term is far from 1
                # its gradient is off by up to ~1e-7 relative. The re-implementation holds the same
                # float32-rounded betas in float64: the exact derivative of the peer's value.
                case["gradientsExactExponents"] = ref_grad
            for k in ("sum", "meanLoss"):
                for s in "xy":
                    a, b = case["gradients"][k][s], ref_grad[k][s]
                    assert close(a["samples"], b["samples"], 1e-10 * max(1.0, a["maxAbs"])), f"{name}: gradient vs reference"
        else:
            case.update(source="reference", float64=reference, pixels=pixels)
            case["gradients"] = autograd(ref_fn, x, y, pixels)
            if preset == "wang":
                win = fspecial_gaussian(size, sigma)
                numpy_values = wang_numpy(x, y, L=rule["dataRange"], win=win)
                assert close(numpy_values, reference, 1e-12), f"{name}: numpy {numpy_values} vs torch {reference}"
                np_fn = lambda a, b: wang_numpy(a, b, L=rule["dataRange"], win=win)  # noqa: E731
            else:
                res = tf_out["cases"][f"{n}"]
                case.update(peerFloat32=res["values"], maxAbsFloat32MinusFloat64=max_diff(res["values"], reference),
                            peerFloat32GradientSum=res["grad"],
                            maxAbsFloat32GradientMinusFloat64=max_diff(res["grad"], case["gradients"]["sum"]["x"]["samples"]))
                assert max_diff(res["values"], reference) < 1e-4, name
                # the same algorithm with exact float64 taps (TF's window is float32): what the
                # Swift preset computes, so its gradients and finite differences are given too
                exact = dict(rule, window2d=torch.tensor(fspecial_gaussian(size, sigma)))
                exact_fn = lambda a, b: reference_msssim(a, b, exact)  # noqa: E731
                case["float64ExactWindow"] = exact_fn(torch.tensor(x), torch.tensor(y)).tolist()
                case["gradientsExactWindow"] = autograd(exact_fn, x, y, pixels)
                np_fn = lambda a, b: exact_fn(torch.tensor(a), torch.tensor(b)).tolist()  # noqa: E731
            if not any(np.isnan(reference)) and x.ndim == 4:
                fd_pixels = pixels[:: max(1, len(pixels) // 6)][:6]
                h = 2.0 ** -14 * (rule["dataRange"] if isinstance(rule["dataRange"], float) else 1.0)
                fd = finite_differences(np_fn, x, y, fd_pixels, h)
                grads = case.get("gradientsExactWindow", case["gradients"])
                ad = [grads["sum"]["x"]["samples"][pixels.index(p)] for p in fd_pixels]
                scale = grads["sum"]["x"]["maxAbs"]
                assert max_diff(fd, ad) <= 1e-5 * scale + 1e-12, f"{name}: FD {fd} vs autograd {ad}"
                case["finiteDifferences"] = {"h": h, "pixels": fd_pixels, "sumGradientX": fd, "maxAbsMinusAutograd": max_diff(fd, ad)}
        cases.append(case)
        summary.append((name, case["float64"], case.get("maxAbsFloat32MinusFloat64")))
        print(f"{name:62s} {case['float64']} f32-f64={case.get('maxAbsFloat32MinusFloat64')}", flush=True)

    # too small for a preset: the peer's error (msssim.m returns -Inf), no values
    x, y = arrays["scene-161x162-b2c1-8bit"]
    cases.append({"name": "wang-scene-161x162-b2c1-8bit-tooSmall", "preset": "wang", "input": "scene-161x162-b2c1-8bit",
                  "call": call_text("wang", {"dataRange": 255.0}), "options": options_record("wang", {}, rules("wang", data_range=255.0)),
                  "error": "msssim.m returns -Inf: min(M, N) / 2^4 = 10.06 < 11 (the preset's minimum is 176)",
                  "peerValues": wang_numpy(x, y)})
    message = expect_error(lambda: tm_msssim(torch.tensor(x), torch.tensor(y), data_range=255.0, reduction="none"))
    assert message is not None
    cases.append({"name": "torchmetrics-scene-161x162-b2c1-8bit-tooSmall", "preset": "torchmetrics", "input": "scene-161x162-b2c1-8bit",
                  "call": call_text("torchmetrics", {"dataRange": 255.0}),
                  "options": options_record("torchmetrics", {}, rules("torchmetrics", data_range=255.0)), "error": message})

    doc = {"versions": VERSIONS, "weights": WEIGHTS, "inputs": [i for i in inputs if "generated" not in i],
           "generatedInputs": [i for i in inputs if "generated" in i],
           "windows": windows_record(), "minimumSizes": minimum_sizes(tf_out["errors"]),
           "sanity": sanity_checks(arrays), "cases": cases}
    with open(OUT, "w") as f:
        json.dump(nan_safe(doc), f, separators=(",", ":"))
    print("wrote", OUT, os.path.getsize(OUT), "bytes,", len(cases), "cases")


def windows_record():
    return {
        "pytorchMSSSIM_11_1.5_float32_1d": pytorch_msssim_window(11, 1.5).tolist(),
        "pytorchMSSSIM_7_1.0_float32_1d": pytorch_msssim_window(7, 1.0).tolist(),
        "pytorchMSSSIM_3_0.5_float32_1d": pytorch_msssim_window(3, 0.5).tolist(),
        "tensorflow_11_1.5_float32_2d": _TF_WINDOWS[(11, 1.5)].flatten().tolist(),
        "tensorflow_7_1.0_float32_2d": _TF_WINDOWS[(7, 1.0)].flatten().tolist(),
        "wang_11_1.5_float64_2d": fspecial_gaussian(11, 1.5).flatten().tolist(),
        "torchmetrics_betas_float32": torch.tensor(WEIGHTS, dtype=torch.float32).tolist(),
    }


def expect_error(fn):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn()
    except Exception as e:  # noqa: BLE001
        return f"{type(e).__name__}: {e}"
    return None


def minimum_sizes(tf_errors):
    def pair(*shape):
        z = torch.rand(*shape, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
        return z, (z * 0.9 + 0.05)

    def reference_runs(preset, shape):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                v = reference_msssim(*pair(*shape), rules(preset, data_range=1.0))
            return bool(torch.isfinite(v).all())
        except Exception:  # noqa: BLE001
            return False

    def smallest(preset):
        for n in range(8, 200):
            if reference_runs(preset, (1, 1, n, n)):
                return n
        return None

    out = []
    out.append({"preset": "wang", "rule": "min(H, W) / 2^4 >= 11 (msssim.m: min_img_width = min(M, N)/(2^(level-1)) < max_win_width returns -Inf), i.e. min(H, W) >= 176",
                "peerMinimum": 176, "peerMessage": "msssim.m returns -Inf (no message); 175x175 -> " + str(wang_msssim_2d(np.ones((175, 175)), np.ones((175, 175)))),
                "algorithmMinimum": smallest("wang"), "algorithmRule": "ceil halving, 11 <= ceil(n / 16): n >= 161"})
    out.append({"preset": "tensorflow", "rule": "every scale at least filter_size in H and W (Assert in _ssim_per_channel), with ceil halving: H, W >= 161",
                "peerMinimum": 161, "peerMessage": tf_errors["160x160"], "peerAt161": tf_errors["161x161"],
                "peerAt170x161": tf_errors["170x161"], "algorithmMinimum": smallest("tensorflow")})
    out.append({"preset": "pytorchMSSSIM", "rule": "assert min(H, W) > (win_size - 1) * 2^4 (only the last two dimensions, also for 5-D; D is free)",
                "peerMinimum": 161, "peerMessage": expect_error(lambda: pytorch_msssim.ms_ssim(*pair(1, 1, 160, 300), data_range=1.0)),
                "peerAt161": expect_error(lambda: pytorch_msssim.ms_ssim(*pair(1, 1, 161, 161), data_range=1.0)),
                "peerMessage5D": expect_error(lambda: pytorch_msssim.ms_ssim(*pair(1, 1, 4, 160, 170), data_range=1.0)),
                "peerAt5DDepth2": expect_error(lambda: pytorch_msssim.ms_ssim(*pair(1, 1, 2, 161, 161), data_range=1.0)),
                "peerMinimumDepth5D": pytorch_msssim_minimum_depth(pair),
                "depthRule": "D = 1 is squeezed away (2-D); otherwise each of the 4 avg_pool3d calls needs a depth >= 2 (torch checks the size before the padding), so D >= 9",
                "algorithmMinimum": "any size: gaussian_filter skips (with a warning) the smoothing of a dimension shorter than the window; the assert is the only limit",
                "note": "ms_ssim first squeezes every size-1 dimension from the last to dim 2: (B, C, 1, H, W) runs as 2-D; and a 1-pixel W would make a 4-D input 3-D (ValueError)"})
    out.append({"preset": "torchmetrics", "rule": "H, W >= 2^5 = 32 and H // 16 > 10, W // 16 > 10 (_betas_div = max(1, len(betas) - 1)^2 = 16): H, W >= 176; the message says 'larger than 160'",
                "peerMinimum": 176, "peerMessage": expect_error(lambda: tm_msssim(*pair(1, 1, 175, 200), data_range=1.0)),
                "peerAt176": expect_error(lambda: tm_msssim(*pair(1, 1, 176, 176), data_range=1.0)),
                "algorithmMinimum": torchmetrics_algorithm_minimum(pair),
                "algorithmRule": "floor halving; the 5th scale's reflect padding of 5 needs floor(n / 16) >= 6 (n >= 96); the 4th scale's cs crop needs floor(n / 8) > 10"})
    out.append({"preset": "piq", "rule": "H, W >= (kernel_size - 1) * 2^(levels - 1) + 1 = 161",
                "peerMinimum": 161, "peerMessage": expect_error(lambda: piq_ms_ssim.multi_scale_ssim(*pair(1, 1, 160, 200), data_range=1.0)),
                "peerAt161": expect_error(lambda: piq_ms_ssim.multi_scale_ssim(*pair(1, 1, 161, 161), data_range=1.0)),
                "algorithmMinimum": smallest("piq")})
    return out


def pytorch_msssim_minimum_depth(pair):
    for d in range(2, 12):
        if expect_error(lambda: pytorch_msssim.ms_ssim(*pair(1, 1, d, 161, 161), data_range=1.0)) is None:
            return d
    return None


def torchmetrics_algorithm_minimum(pair):
    """torchmetrics' own per-scale code (_get_normalized_sim_and_cs + avg_pool2d) without the size checks."""
    for n in range(32, 200):
        x, y = pair(1, 1, n, n)
        try:
            terms = []
            for level in range(5):
                sim, cs = tm_sim_and_cs(x, y, data_range=1.0, normalize="relu")
                terms.append(cs if level < 4 else sim)
                x, y = F.avg_pool2d(x, (2, 2)), F.avg_pool2d(y, (2, 2))
            if all(torch.isfinite(t).all() for t in terms):
                return n
        except Exception:  # noqa: BLE001
            continue
    return None


def sanity_checks(arrays):
    """Where the documented rules coincide the presets agree; where they differ, by how much."""
    out = {}
    x, y = (torch.tensor(a) for a in arrays["scene-176x176-b1c3-8bit"])
    # 176 -> 88 -> 44 -> 22 -> 11: even at every halving, so every down-sampling rule is the same 2 x 2 mean.
    wang = reference_msssim(x, y, rules("wang", data_range=255.0))
    vals = {p: reference_msssim(x, y, rules(p, data_range=255.0)) for p in ["tensorflow", "pytorchMSSSIM", "piq", "torchmetrics"]}
    d = {p: float((v - wang).abs().max()) for p, v in vals.items()}
    out["evenSize176_3channel_maxAbsVersusWang"] = d
    assert d["piq"] < 1e-13, d            # float64 2-D window, same rules: rounding only
    assert d["pytorchMSSSIM"] < 1e-6, d   # only its float32 window taps differ
    assert d["tensorflow"] < 1e-6, d      # only its float32 window and cs formula (rounding) differ
    # torchmetrics differs in rules (luminance over a reflect-padded 'same' map at the last scale, channel pooling
    # before the product, float32 weights), so it is not expected to agree
    rule = rules("torchmetrics", data_range=255.0)
    rule.update(border=None, channelPooling="afterProduct", weights=WEIGHTS, window2d=torch.tensor(fspecial_gaussian(11, 1.5)))
    out["evenSize176_torchmetricsWithWangBorderPoolingWeights_maxAbsVersusWang"] = float((reference_msssim(x, y, rule) - wang).abs().max())
    assert out["evenSize176_torchmetricsWithWangBorderPoolingWeights_maxAbsVersusWang"] < 1e-12
    # odd sizes: the down-sampling rules differ.
    x, y = (torch.tensor(a) for a in arrays["scene-181x203-b2c1-unit"])
    wang = reference_msssim(x, y, rules("wang", data_range=1.0))
    d = {}
    for p in ["tensorflow", "pytorchMSSSIM", "piq", "torchmetrics"]:
        d[p] = float((reference_msssim(x, y, rules(p, data_range=1.0)) - wang).abs().max())
        r = rules(p, data_range=1.0)
        r["downsample"] = "wang"
        d[p + "WithWangDownsampling"] = float((reference_msssim(x, y, r) - wang).abs().max())
    out["oddSize181x203_maxAbsVersusWang"] = d
    assert d["tensorflow"] < 1e-6 and d["pytorchMSSSIM"] > 1e-5 and d["piq"] > 1e-5, d
    assert d["pytorchMSSSIMWithWangDownsampling"] < 1e-6 and d["piqWithWangDownsampling"] < 1e-12, d
    # what the float32 parts of the float64 runs change (the peers' own rules with float64 instead)
    eff = {}
    for ident in ("scene-181x203-b2c1-unit", "coarse-inverted-176x176-unit"):
        x, y = (torch.tensor(a) for a in arrays[ident])
        r = rules("pytorchMSSSIM", data_range=1.0)
        exact = dict(r, window1d=torch.tensor(fspecial_gaussian(11, 1.5)[5] / fspecial_gaussian(11, 1.5)[5].sum()))
        eff[ident + ":pytorchMSSSIM_float32Window"] = float((reference_msssim(x, y, r) - reference_msssim(x, y, exact)).abs().max())
        for p in ("torchmetrics", "torchmetricsSimple"):
            r = rules(p, data_range=1.0)
            eff[ident + f":{p}_float32Weights"] = float((reference_msssim(x, y, r) - reference_msssim(x, y, dict(r, weights=WEIGHTS))).abs().max())
        r = rules("tensorflow", data_range=1.0)
        eff[ident + ":tensorflow_float32Window"] = float((reference_msssim(x, y, r) - reference_msssim(x, y, dict(r, window2d=torch.tensor(fspecial_gaussian(11, 1.5))))).abs().max())
    out["float32PartsOfFloat64Runs_maxAbsEffect"] = eff
    return out


if __name__ == "__main__":
    main()
