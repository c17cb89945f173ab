#!/usr/bin/env python3
"""Writes the golden values of the SSIM conventions tests by running the peer libraries.

Usage (outside the repo's build, in virtual environments):
    /tmp/kenv/bin/pip install torch kornia==0.9.0 numpy scipy scikit-image torchmetrics pytorch-msssim piq
    python3 -m venv /tmp/tfenv && /tmp/tfenv/bin/pip install tensorflow-cpu numpy
    TF_PYTHON=/tmp/tfenv/bin/python /tmp/kenv/bin/python Scripts/make_convention_fixtures.py

Writes Tests/StructuralSimilarityTests/Fixtures/conventions.json: cases of two images (float32
values, fed to every peer as float64, so the Float and the Double paths see the same numbers;
the large case is generated from a seed by SplitMix64 exactly as SSIMTestSupport does), and
for each, results: a convention (a preset of SSIMOptions) with option overrides, the peer call,
and the mean SSIM the preset must reproduce, with the map where it is small.

"source" says where a mean comes from:
- "peer": the peer library itself, in float64 (scikit-image, torchmetrics, pytorch-msssim,
  piq, Kornia);
- "reference": the float64 reference below (`reference_map`) following a peer's documented
  definition, for peers that cannot give float64 here: TensorFlow computes in float32 only
  (its own float32 mean is kept as "peerFloat32Mean"), MATLAB is not installed (its
  documented ssim: Gaussian sigma 1.5, 2 ceil(3 sigma) + 1 taps, replicate padding, mean of
  the full map), and for option combinations no peer offers (zero border, ...).
The reference is itself checked against every float64 peer (agreement to 1e-12 asserted).
"""
import importlib
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import scipy
import scipy.ndimage as ndi
import skimage
import torch
import kornia
import torchmetrics
import pytorch_msssim
pytorch_msssim_module = importlib.import_module("pytorch_msssim.ssim")  # the module (the package re-exports a function of its name)
import piq
from skimage.metrics import structural_similarity
from torchmetrics.functional.image import structural_similarity_index_measure

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "StructuralSimilarityTests", "Fixtures", "conventions.json")
TF_HELPER = os.path.join(os.path.dirname(__file__), "convention_fixtures_tensorflow.py")
TF_PYTHON = os.environ.get("TF_PYTHON", "/tmp/tfenv/bin/python")
MATLAB_GRAY = (0.298936021293775, 0.587043074451121, 0.114020904255103)


# ---------------------------------------------------------------- inputs

def splitmix64(seed, count):
    """SSIMTestSupport's SplitMix64 and randomTensor: uniform [0, 1) doubles from 53 bits."""
    mask = (1 << 64) - 1
    state = seed & mask
    out = np.empty(count, dtype=np.float64)
    for i in range(count):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        z = z ^ (z >> 31)
        out[i] = (z >> 11) * 2.0 ** -53
    return out


def generated_pair(shape, seed_x, seed_y, mix):
    """x = float32(randomTensor(seed_x)); y = float32(mix x + (1 - mix) r), r = float32(randomTensor(seed_y)),
    the products and the sum in float64 (the Swift test does the same)."""
    n = int(np.prod(shape))
    x = splitmix64(seed_x, n).astype(np.float32).astype(np.float64)
    r = splitmix64(seed_y, n).astype(np.float32).astype(np.float64)
    y = (mix * x + (1 - mix) * r).astype(np.float32).astype(np.float64)
    return x.reshape(shape), y.reshape(shape)


def structured_pair(shape, rng, scale=1.0, noise=0.05):
    h, w = shape[-2:]
    yy, xx = np.meshgrid(np.linspace(0, 1, h), np.linspace(0, 1, w), indexing="ij")
    planes = []
    for c in range(shape[1]):
        planes.append(0.5 + 0.4 * np.sin((6 + c) * xx + (3 - c) * yy) * np.cos((4 + c) * yy))
    base = np.stack(planes)[None].repeat(shape[0], axis=0)
    x = base * 0.9 + 0.05 + rng.normal(0, 0.02, shape)
    y = x + rng.normal(0, noise, shape)
    x, y = np.clip(x, 0, 1), np.clip(y, 0, 1)
    return ((x * scale).astype(np.float32).astype(np.float64), (y * scale).astype(np.float32).astype(np.float64))


# ---------------------------------------------------------------- the float64 reference

MODES = {"reflect": "mirror", "symmetric": "reflect", "replicate": "nearest", "zero": "constant"}


def window_taps(options):
    size = options["windowSize"]
    if options["window"] == "uniform":
        return np.full(size, 1.0 / size)
    sigma = options["sigma"]
    if options["window"] == "gaussianFloat32":
        return pytorch_msssim_module._fspecial_gauss_1d(size, sigma).flatten().double().numpy()
    c = np.arange(size) - size // 2
    g = np.exp(-(c * c) / (2 * sigma * sigma))
    return g / g.sum()


def preprocess(x, options):
    if options.get("grayscale", "none") != "none":
        if options["grayscale"] == "matlabRGB2Gray":
            wr, wg, wb = MATLAB_GRAY
            x = (wr * x[:, 0] + wg * x[:, 1] + wb * x[:, 2])[:, None]
        else:  # bt601Luma
            x = ((65.481 * x[:, 0] + 128.553 * x[:, 1] + 24.966 * x[:, 2] + 16.0) / 255.0)[:, None]
    if options.get("downsampling", "none") == "piqAutomatic":
        f = max(1, round(min(x.shape[-2:]) / 256))
        if f > 1:
            x = torch.nn.functional.avg_pool2d(torch.from_numpy(x), kernel_size=f).numpy()
    return x


def reference_map(x, y, options, data_range):
    """The SSIM map of SSIMOptions in float64 with scipy's separable correlation (W then H)."""
    x, y = preprocess(x, options), preprocess(y, options)
    w = window_taps(options)
    mode = MODES[options["border"]]

    def blur(a):
        a = ndi.correlate1d(a, w, axis=-1, mode=mode, cval=0.0)
        return ndi.correlate1d(a, w, axis=-2, mode=mode, cval=0.0)

    mu1, mu2 = blur(x), blur(y)
    n = options["windowSize"] ** 2
    k = n / (n - 1) if options["covariance"] == "sample" else 1.0
    s1 = k * (blur(x * x) - mu1 * mu1)
    s2 = k * (blur(y * y) - mu2 * mu2)
    s12 = k * (blur(x * y) - mu1 * mu2)
    c1 = (options["k1"] * data_range) ** 2
    c2 = (options["k2"] * data_range) ** 2
    s = (2 * mu1 * mu2 + c1) * (2 * s12 + c2) / ((mu1 * mu1 + mu2 * mu2 + c1) * (s1 + s2 + c2) + options["eps"])
    if options["padding"] == "valid":
        p = options["windowSize"] // 2
        s = s[..., p:s.shape[-2] - p, p:s.shape[-1] - p]
    return s


PRESETS = {
    "kornia": dict(window="gaussian", sigma=1.5, windowSize=11, border="reflect", padding="same", covariance="population", k1=0.01, k2=0.03, dataRange=1.0, eps=1e-12),
    "scikit-image": dict(window="uniform", sigma=None, windowSize=7, border="symmetric", padding="valid", covariance="sample", k1=0.01, k2=0.03, dataRange=1.0, eps=0.0),
    "scikit-image-gaussian": dict(window="gaussian", sigma=1.5, windowSize=11, border="symmetric", padding="valid", covariance="population", k1=0.01, k2=0.03, dataRange=1.0, eps=0.0),
    "torchmetrics": dict(window="gaussian", sigma=1.5, windowSize=11, border="reflect", padding="same", covariance="population", k1=0.01, k2=0.03, dataRange="span", eps=0.0),
    "pytorch-msssim": dict(window="gaussianFloat32", sigma=1.5, windowSize=11, border="reflect", padding="valid", covariance="population", k1=0.01, k2=0.03, dataRange=255.0, eps=0.0),
    "tensorflow": dict(window="gaussian", sigma=1.5, windowSize=11, border="reflect", padding="valid", covariance="population", k1=0.01, k2=0.03, dataRange=1.0, eps=0.0),
    "piq": dict(window="gaussian", sigma=1.5, windowSize=11, border="reflect", padding="valid", covariance="population", k1=0.01, k2=0.03, dataRange=1.0, eps=0.0, downsampling="piqAutomatic"),
    "matlab": dict(window="gaussian", sigma=1.5, windowSize=11, border="replicate", padding="same", covariance="population", k1=0.01, k2=0.03, dataRange=1.0, eps=0.0),
}


def resolved(convention, overrides):
    o = dict(PRESETS[convention])
    o.update(overrides)
    return o


def reference_mean(x, y, convention, overrides):
    o = resolved(convention, overrides)
    r = o["dataRange"]
    if r == "span":
        r = max(x.max() - x.min(), y.max() - y.min())
    return reference_map(x, y, o, r)


# ---------------------------------------------------------------- the peers

def t(a):
    return torch.from_numpy(np.ascontiguousarray(a))


def peer_skimage(x, y, data_range, gaussian):
    kw = dict(gaussian_weights=True, sigma=1.5, use_sample_covariance=False) if gaussian else {}
    means, maps = [], []
    for b in range(x.shape[0]):
        m, s = structural_similarity(x[b], y[b], data_range=data_range, channel_axis=0, full=True, **kw)
        means.append(m)
        pad = ((11 if gaussian else 7) - 1) // 2
        maps.append(s[:, pad:-pad, pad:-pad])
    return float(np.mean(means)), np.stack(maps)


def peer_torchmetrics(x, y, data_range=None):
    value, full = structural_similarity_index_measure(t(x), t(y), data_range=data_range, return_full_image=True)
    return float(value), full.numpy()  # its mean is over the whole reflect-padded map (no crop)


def peer_pytorch_msssim(x, y, data_range, float64_window=False):
    kw = {}
    if float64_window:
        c = torch.arange(11, dtype=torch.float64) - 5
        g = torch.exp(-(c ** 2) / (2 * 1.5 ** 2))
        kw["win"] = (g / g.sum()).reshape(1, 1, -1).repeat(x.shape[1], 1, 1, 1)
    return float(pytorch_msssim.ssim(t(x), t(y), data_range=data_range, size_average=True, **kw))


def peer_piq(x, y, downsample):
    return float(piq.ssim(t(x), t(y), data_range=1.0, downsample=downsample))


def autograd_mean_gradient(function, x, y):
    """torch autograd's gradient of a peer's mean SSIM with respect to the first image."""
    tx = t(x).clone().requires_grad_(True)
    function(tx, t(y)).backward()
    return tx.grad.numpy()


def peer_kornia(x, y):
    m = kornia.metrics.ssim(t(x), t(y), 11)
    return float(m.mean()), m.numpy()


def run_tensorflow(pairs):
    """TensorFlow's float32 means for named pairs (x, y, max_val), or {} if it cannot run."""
    if not os.path.exists(TF_PYTHON):
        print("TensorFlow not available at", TF_PYTHON, file=sys.stderr)
        return {}
    with tempfile.TemporaryDirectory() as d:
        arrays = {}
        for name, (x, y, m) in pairs.items():
            arrays["x_" + name], arrays["y_" + name], arrays["max_" + name] = x, y, np.float64(m)
        np.savez(os.path.join(d, "in.npz"), **arrays)
        subprocess.run([TF_PYTHON, TF_HELPER, os.path.join(d, "in.npz"), os.path.join(d, "out.json")],
                       check=True, stderr=subprocess.DEVNULL)
        return json.load(open(os.path.join(d, "out.json")))


# ---------------------------------------------------------------- cases

def main():
    rng = np.random.default_rng(2026)
    cases = []
    small = {
        "structured-gray": structured_pair((1, 1, 24, 20), rng),
        "structured-rgb": structured_pair((2, 3, 32, 28), rng, noise=0.08),
        "unrelated": tuple(rng.random((1, 2, 19, 23)).astype(np.float32).astype(np.float64) for _ in range(2)),
        "scaled-255": structured_pair((1, 3, 26, 30), rng, scale=255.0),
    }
    tf_pairs = {}
    worst_reference_gap = 0.0

    def add(results, convention, overrides, peer, mean, source, x, y, keep_map, peer_map=None, **extra):
        nonlocal worst_reference_gap
        ref = reference_mean(x, y, convention, overrides)
        if source == "peer":
            gap = abs(float(ref.mean()) - mean)
            assert gap < 1e-12, (convention, overrides, gap)
            worst_reference_gap = max(worst_reference_gap, gap)
            if peer_map is not None:
                assert np.max(np.abs(peer_map - ref)) < 1e-12, (convention, np.max(np.abs(peer_map - ref)))
        entry = {"convention": convention, "options": overrides, "peer": peer, "source": source, "mean": mean}
        if keep_map:
            entry["map"] = (peer_map if peer_map is not None else ref).flatten().tolist()
            entry["mapShape"] = list(ref.shape)
        entry.update(extra)
        results.append(entry)

    for name, (x, y) in small.items():
        L = 255.0 if name == "scaled-255" else 1.0
        keep = name == "structured-gray"
        results = []
        m, s = peer_skimage(x, y, L, gaussian=False)
        add(results, "scikit-image", {"dataRange": L}, f"skimage.metrics.structural_similarity(x, y, data_range={L:g}, channel_axis=0)", m, "peer", x, y, keep, s)
        m, s = peer_skimage(x, y, L, gaussian=True)
        add(results, "scikit-image-gaussian", {"dataRange": L}, f"structural_similarity(x, y, data_range={L:g}, channel_axis=0, gaussian_weights=True, sigma=1.5, use_sample_covariance=False)", m, "peer", x, y, keep, s)
        m, s = peer_torchmetrics(x, y)
        add(results, "torchmetrics", {}, "torchmetrics.functional.image.structural_similarity_index_measure(x, y)  # data_range=None", m, "peer", x, y, keep, s)
        m, s = peer_torchmetrics(x, y, data_range=L)
        add(results, "torchmetrics", {"dataRange": L}, f"structural_similarity_index_measure(x, y, data_range={L:g})", m, "peer", x, y, False, s)
        m = peer_pytorch_msssim(x, y, L)
        add(results, "pytorch-msssim", {"dataRange": L}, f"pytorch_msssim.ssim(x, y, data_range={L:g})  # float32-built window", m, "peer", x, y, keep)
        m = peer_pytorch_msssim(x, y, L, float64_window=True)
        add(results, "pytorch-msssim", {"dataRange": L, "window": "gaussian"}, f"pytorch_msssim.ssim(x, y, data_range={L:g}, win=<float64 window>)", m, "peer", x, y, False)
        if L == 1.0:
            m = peer_piq(x, y, True)
            add(results, "piq", {}, "piq.ssim(x, y)  # data_range=1, downsample=True (f = 1 here)", m, "peer", x, y, keep)
            m, s = peer_kornia(x, y)
            add(results, "kornia", {}, "kornia.metrics.ssim(x, y, 11).mean()", m, "peer", x, y, False, s)
        tf_pairs[name] = (x, y, L)
        ref = reference_mean(x, y, "tensorflow", {"dataRange": L})
        add(results, "tensorflow", {"dataRange": L}, f"tf.image.ssim(x, y, max_val={L:g})  # NHWC", float(ref.mean()), "reference", x, y, keep)
        ref = reference_mean(x, y, "matlab", {"dataRange": L})
        add(results, "matlab", {"dataRange": L}, f"ssim(A, ref, 'DynamicRange', {L:g}) per channel plane (documented definition)", float(ref.mean()), "reference", x, y, keep)
        if x.shape[1] == 3 and L == 1.0:
            ref = reference_mean(x, y, "matlab", {"grayscale": "matlabRGB2Gray"})
            add(results, "matlab", {"grayscale": "matlabRGB2Gray"}, "ssim(rgb2gray(A), rgb2gray(ref)) (documented definition)", float(ref.mean()), "reference", x, y, False)
            # The Y of YCbCr: scikit-image's rgb2ycbcr (BT.601, [16, 235]) / 255, then its gaussian SSIM.
            yx = skimage.color.rgb2ycbcr(np.moveaxis(x, 1, -1))[..., 0][:, None] / 255.0
            yy = skimage.color.rgb2ycbcr(np.moveaxis(y, 1, -1))[..., 0][:, None] / 255.0
            m, s = peer_skimage(yx, yy, 1.0, gaussian=True)
            add(results, "scikit-image-gaussian", {"grayscale": "bt601Luma"}, "structural_similarity(rgb2ycbcr(x)[..., 0] / 255, ..., gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1)", m, "peer", x, y, False)
        # Settings no peer offers together: checked against the float64 reference.
        for overrides in (
            {"border": "zero", "padding": "same", "sigma": 2.0, "windowSize": 13, "covariance": "sample", "k1": 0.02, "k2": 0.05, "dataRange": L},
            {"border": "replicate", "padding": "same", "window": "uniform", "windowSize": 5, "dataRange": L},
            {"border": "symmetric", "padding": "same", "sigma": 1.0, "windowSize": 7, "dataRange": L},
            {"border": "reflect", "padding": "same", "covariance": "sample", "eps": 1e-6, "dataRange": L},
            {"border": "zero", "padding": "same", "window": "uniform", "windowSize": 3, "dataRange": L},
        ):
            ref = reference_mean(x, y, "kornia", overrides)
            add(results, "kornia", overrides, "float64 reference (SSIMOptions definition)", float(ref.mean()), "reference", x, y, False)
        if keep:
            # torch autograd's gradients of the mean SSIM, for the torch peers (data range fixed).
            grads = {
                "torchmetrics": autograd_mean_gradient(lambda a, b: structural_similarity_index_measure(a, b, data_range=L), x, y),
                "pytorch-msssim": autograd_mean_gradient(lambda a, b: pytorch_msssim.ssim(a, b, data_range=L), x, y),
                "piq": autograd_mean_gradient(lambda a, b: piq.ssim(a, b, data_range=1.0), x, y),
            }
            for r in results:
                if r["convention"] in grads and r["options"] in ({"dataRange": L}, {}) and "meanGradient1" not in r:
                    if r["convention"] == "torchmetrics" and r["options"] == {}:
                        continue  # data_range=None: autograd also differentiates the range
                    r["meanGradient1"] = grads[r["convention"]].flatten().tolist()
        cases.append({"name": name, "shape": list(x.shape), "x": x.astype(np.float32).flatten().tolist(), "y": y.astype(np.float32).flatten().tolist(), "results": results})

    # piq's automatic downsampling: min(H, W) = 393 -> f = round(1.535) = 2, 401 x 393 -> 200 x 196.
    shape = (1, 2, 401, 393)
    x, y = generated_pair(shape, 11, 12, 0.7)
    results = []
    add(results, "piq", {}, "piq.ssim(x, y)  # downsample=True: f = 2", peer_piq(x, y, True), "peer", x, y, False)
    add(results, "piq", {"downsampling": "none"}, "piq.ssim(x, y, downsample=False)", peer_piq(x, y, False), "peer", x, y, False)
    cases.append({"name": "generated-piq", "shape": list(shape), "generated": {"seedX": 11, "seedY": 12, "mix": 0.7},
                  "sums": [float(x.sum()), float(y.sum())], "results": results})

    tf = run_tensorflow(tf_pairs)
    for case in cases:
        for r in case["results"]:
            if r["convention"] == "tensorflow" and case["name"] in tf:
                r["peerFloat32Mean"] = tf[case["name"]]["mean"]
                r["peerVersion"] = "tensorflow " + tf[case["name"]]["version"]
    versions = {"torch": torch.__version__, "kornia": kornia.__version__, "scikit-image": skimage.__version__,
                "scipy": scipy.__version__, "numpy": np.__version__, "torchmetrics": torchmetrics.__version__,
                "pytorch-msssim": getattr(pytorch_msssim, "__version__", "1.0.0"), "piq": piq.__version__,
                "tensorflow": next(iter(tf.values()))["version"] if tf else None}
    with open(OUT, "w") as f:
        json.dump({"versions": versions, "cases": cases}, f)
    print("wrote", OUT, os.path.getsize(OUT), "bytes; reference vs float64 peers, worst |mean gap|:", worst_reference_gap)
    for case in cases:
        for r in case["results"]:
            extra = f"  TF float32 {r['peerFloat32Mean']:.10f} (gap {abs(r['peerFloat32Mean'] - r['mean']):.2e})" if "peerFloat32Mean" in r else ""
            print(f"{case['name']:16} {r['convention']:22} {json.dumps(r['options']):60.60} {r['source']:9} {r['mean']:.12f}{extra}")


if __name__ == "__main__":
    main()
