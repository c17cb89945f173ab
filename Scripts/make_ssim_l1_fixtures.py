#!/usr/bin/env python3
"""Writes the golden values of the fused SSIM + L1 losses (issue 17, part 3):
Tests/StructuralSimilarityTests/Fixtures/ssim_l1.json.

Each preset of SSIML1Loss is its codebase's own code, re-typed below and run with torch in
float64 (autograd for the gradients):

- 3D Gaussian splatting, graphdeco-inria/gaussian-splatting at commit
  15d64e67814605c4d5b24a326aad29da74898acc, utils/loss_utils.py (l1_loss, gaussian,
  create_window, _ssim) and train.py's `(1.0 - opt.lambda_dssim) * Ll1 + opt.lambda_dssim *
  (1.0 - ssim(image, gt_image))` with lambda_dssim 0.2. The one change: its window is built in
  float64 (torch.Tensor makes it float32, which moves the float64 loss by about 1e-8); SSIML1Loss
  uses the exact Gaussian.
- monodepth2, nianticlabs/monodepth2 at commit 1a8c031e3f949f61bce3cae848c63b8fcb2b8e18,
  layers.py's SSIM class and trainer.py's compute_reprojection_loss
  (`0.85 * ssim_loss + 0.15 * l1_loss` of the channel means).

For each preset and input: the mean loss and its gradient with respect to the prediction (the
first image), and the per-pixel loss (before any mean) with the gradients of sum(w * loss) with
respect to both images (w: fixture_inputs.weights).

Usage: /tmp/msenv/bin/python Scripts/make_ssim_l1_fixtures.py   (torch 2.13.0+cpu, numpy)
"""
import os
from math import exp

import torch
import torch.nn as nn
import torch.nn.functional as F

from fixture_inputs import flat, generated_input, weights, write_json

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "StructuralSimilarityTests", "Fixtures", "ssim_l1.json")
WEIGHTS_SEED = 1718
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)  # so torch.Tensor([...]) below builds the window in float64


# ---------------------------------------------------------------- gaussian-splatting utils/loss_utils.py

def l1_loss(network_output, gt):
    return torch.abs((network_output - gt)).mean()


def gaussian(window_size, sigma):
    gauss = torch.Tensor([exp(-(x - window_size // 2) ** 2 / float(2 * sigma ** 2)) for x in range(window_size)])
    return gauss / gauss.sum()


def create_window(window_size, channel):
    _1D_window = gaussian(window_size, 1.5).unsqueeze(1)
    _2D_window = _1D_window.mm(_1D_window.t()).unsqueeze(0).unsqueeze(0)  # (.float() dropped: float64)
    return _2D_window.expand(channel, 1, window_size, window_size).contiguous()


def ssim_map_3dgs(img1, img2, window_size=11):
    """_ssim's ssim_map (before its mean)."""
    channel = img1.size(-3)
    window = create_window(window_size, channel).type_as(img1)
    mu1 = F.conv2d(img1, window, padding=window_size // 2, groups=channel)
    mu2 = F.conv2d(img2, window, padding=window_size // 2, groups=channel)
    mu1_sq = mu1.pow(2)
    mu2_sq = mu2.pow(2)
    mu1_mu2 = mu1 * mu2
    sigma1_sq = F.conv2d(img1 * img1, window, padding=window_size // 2, groups=channel) - mu1_sq
    sigma2_sq = F.conv2d(img2 * img2, window, padding=window_size // 2, groups=channel) - mu2_sq
    sigma12 = F.conv2d(img1 * img2, window, padding=window_size // 2, groups=channel) - mu1_mu2
    C1 = 0.01 ** 2
    C2 = 0.03 ** 2
    return ((2 * mu1_mu2 + C1) * (2 * sigma12 + C2)) / ((mu1_sq + mu2_sq + C1) * (sigma1_sq + sigma2_sq + C2))


def loss_3dgs(image, gt_image, lambda_dssim=0.2):
    """train.py: loss = (1.0 - lambda_dssim) * Ll1 + lambda_dssim * (1.0 - ssim(image, gt_image))."""
    return (1.0 - lambda_dssim) * l1_loss(image, gt_image) + lambda_dssim * (1.0 - ssim_map_3dgs(image, gt_image).mean())


def pixel_loss_3dgs(image, gt_image, lambda_dssim=0.2):
    """The same per pixel: the terms before their means."""
    return (1.0 - lambda_dssim) * torch.abs(image - gt_image) + lambda_dssim * (1.0 - ssim_map_3dgs(image, gt_image))


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
        "gaussianSplatting": (loss_3dgs, pixel_loss_3dgs),
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
