"""Inputs shared by the fixture scripts of the components, the general form and the SSIM + L1
losses (make_components_fixtures.py, make_ssim_l1_fixtures.py): SSIMTestSupport's SplitMix64
images, so that a fixture stores seeds instead of pixels, and the JSON writer."""
import json

import numpy as np


def splitmix64_uniform(seed, count):
    """SSIMTestSupport's SplitMix64 + randomTensor: uniform [0, 1) doubles from the top 53 bits
    (vectorised: state_i = seed + (i + 1) * golden, mod 2^64)."""
    with np.errstate(over="ignore"):
        i = np.arange(1, count + 1, dtype=np.uint64)
        z = np.uint64(seed) + i * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53


def generated_input(ident, shape, seed_x, seed_y, mix):
    """x = float32(randomTensor(seed_x)); y = float32(mix x + (1 - mix) r), r = float32(randomTensor(seed_y)),
    the product and the sum in float64 (as the Swift loader rebuilds them): every value is a float32."""
    n = int(np.prod(shape))
    x = splitmix64_uniform(seed_x, n).astype(np.float32).astype(np.float64)
    r = splitmix64_uniform(seed_y, n).astype(np.float32).astype(np.float64)
    y = (mix * x + (1 - mix) * r).astype(np.float32).astype(np.float64)
    record = {"id": ident, "shape": list(shape), "generated": {"seedX": seed_x, "seedY": seed_y, "mix": mix},
              "sumX": float(x.sum()), "sumY": float(y.sum())}
    return record, x.reshape(shape), y.reshape(shape)


def weights(seed, shape):
    """Upstream weights of a map: randomTensor(shape, seed: seed) in Double, uniform [0, 1)."""
    return splitmix64_uniform(seed, int(np.prod(shape))).reshape(shape)


def flat(tensor):
    return [float(v) for v in tensor.detach().reshape(-1).tolist()]


def write_json(path, content):
    with open(path, "w") as f:
        json.dump(content, f, separators=(",", ":"))
        f.write("\n")
