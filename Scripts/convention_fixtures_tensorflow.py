#!/usr/bin/env python3
"""TensorFlow's half of Scripts/make_convention_fixtures.py (TensorFlow lives in its own venv).

Usage: TF_PYTHON=/tmp/tfenv/bin/python; $TF_PYTHON Scripts/convention_fixtures_tensorflow.py IN.npz OUT.json
Reads pairs x_K, y_K (NCHW float64) and max_K, writes {"K": {"mean": ..., "version": ...}} with
tf.image.ssim(NHWC, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03) averaged
over the batch (TensorFlow computes in float32 whatever the input dtype).
"""
import json
import sys

import numpy as np
import tensorflow as tf

data = np.load(sys.argv[1])
out = {}
for key in data.files:
    if not key.startswith("x_"):
        continue
    name = key[2:]
    x = np.transpose(data["x_" + name], (0, 2, 3, 1))
    y = np.transpose(data["y_" + name], (0, 2, 3, 1))
    value = tf.image.ssim(x, y, max_val=float(data["max_" + name]), filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03)
    out[name] = {"mean": float(np.mean(value.numpy().astype(np.float64))), "dtype": str(value.dtype.name), "version": tf.__version__}
json.dump(out, open(sys.argv[2], "w"))
