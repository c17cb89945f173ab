#!/usr/bin/env python3
"""Writes the golden values of the fused SSIM + L1 losses (issue 17, part 3):
Tests/StructuralSimilarityTests/Fixtures/ssim_l1.json.

Each preset of SSIML1Loss is its codebase's own code, re-typed below and run with torch in
float64 (autograd for the gradients):

- 3D Gaussian splatting, graphdeco-inria/gaussian-splatting at commit
  15d64e67814605c4d5b24a326aad29da74898acc: gaussian_splatting_loss.py (utils/loss_utils.py and
  train.py's mix, lambda_dssim 0.2) with exact_window=True: the window in float64 (the codebase's
  float32 window moves the float64 loss by about 1e-8); SSIML1Loss uses the exact Gaussian.
- monodepth2, nianticlabs/monodepth2 at commit 1a8c031e3f949f61bce3cae848c63b8fcb2b8e18,
  layers.py's SSIM class and trainer.py's compute_reprojection_loss
  (`0.85 * ssim_loss + 0.15 * l1_loss` of the channel means).

For each preset and input: the mean loss and its gradient with respect to the prediction (the
first image), and the per-pixel loss (before any mean) with the gradients of sum(w * loss) with
respect to both images (w: fixture_inputs.weights).

Usage: /tmp/msenv/bin/python Scripts/make_ssim_l1_fixtures.py   (torch 2.13.0+cpu, numpy)
"""
import os
from functools import partial

import torch
import torch.nn as nn

import gaussian_splatting_loss
from fixture_inputs import flat, generated_input, weights, write_json

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "StructuralSimilarityTests", "Fixtures", "ssim_l1.json")
WEIGHTS_SEED = 1718
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)  # so the codebase's torch.Tensor([...]) builds the window in float64


# ---------------------------------------------------------------- monodepth2 layers.py / trainer.py

class SSIM(nn.Module):
    """Layer to compute the SSIM loss between a pair of images
    """
    def __init__(self):
        super(SSIM, self).__init__()
        self.mu_x_pool = nn.AvgPool2d(3, 1)
        self.mu_y_pool = nn.AvgPool2d(3, 1)
        self.sig_x_pool = nn.AvgPool2d(3, 1)
        self.sig_y_pool = nn.AvgPool2d(3, 1)
        self.sig_xy_pool = nn.AvgPool2d(3, 1)
        self.refl = nn.ReflectionPad2d(1)
        self.C1 = 0.01 ** 2
        self.C2 = 0.03 ** 2

    def forward(self, x, y):
        x = self.refl(x)
        y = self.refl(y)
        mu_x = self.mu_x_pool(x)
        mu_y = self.mu_y_pool(y)
        sigma_x = self.sig_x_pool(x ** 2) - mu_x ** 2
        sigma_y = self.sig_y_pool(y ** 2) - mu_y ** 2
        sigma_xy = self.sig_xy_pool(x * y) - mu_x * mu_y
        SSIM_n = (2 * mu_x * mu_y + self.C1) * (2 * sigma_xy + self.C2)
        SSIM_d = (mu_x ** 2 + mu_y ** 2 + self.C1) * (sigma_x + sigma_y + self.C2)
        return torch.clamp((1 - SSIM_n / SSIM_d) / 2, 0, 1)


def compute_reprojection_loss(ssim, pred, target):
    """trainer.py's Trainer.compute_reprojection_loss (with opt.no_ssim False)."""
    abs_diff = torch.abs(target - pred)
    l1_loss = abs_diff.mean(1, True)
    ssim_loss = ssim(pred, target).mean(1, True)
    reprojection_loss = 0.85 * ssim_loss + 0.15 * l1_loss
    return reprojection_loss


def pixel_loss_monodepth2(ssim, pred, target):
    """The same per pixel and channel (before the channel means)."""
    return 0.85 * ssim(pred, target) + 0.15 * torch.abs(target - pred)


def main():
    shape = (2, 3, 16, 13)
    inputs = [generated_input("pair", shape, 1801, 1802, 0.7), generated_input("near-identical", shape, 1803, 1804, 0.98)]
    w = torch.from_numpy(weights(WEIGHTS_SEED, shape))
    ssim = SSIM()
    presets = {
        "gaussianSplatting": (partial(gaussian_splatting_loss.loss, exact_window=True),
                              partial(gaussian_splatting_loss.pixel_loss, exact_window=True)),
        "monodepth2": (lambda p, t: compute_reprojection_loss(ssim, p, t).mean(), lambda p, t: pixel_loss_monodepth2(ssim, p, t)),
    }
    cases = []
    for record, xs, ys in inputs:
        for preset, (mean_loss, pixel_loss) in presets.items():
            x = torch.from_numpy(xs).requires_grad_(True)
            y = torch.from_numpy(ys).requires_grad_(True)
            loss = mean_loss(x, y)
            (gx,) = torch.autograd.grad(loss, x)
            pixels = pixel_loss(x, y)
            wx, wy = torch.autograd.grad((w * pixels).sum(), (x, y))
            assert abs(float(pixels.detach().mean()) - float(loss.detach())) < 1e-15, (preset, record["id"])
            cases.append({"preset": preset, "input": record["id"], "loss": float(loss.detach()), "lossGradX": flat(gx),
                          "pixelLoss": flat(pixels), "weightedGradX": flat(wx), "weightedGradY": flat(wy)})
    write_json(OUT, {"torch": torch.__version__, "weightsSeed": WEIGHTS_SEED, "inputs": [r for r, _, _ in inputs], "cases": cases})
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
