"""3D Gaussian splatting's photometric loss, re-typed from graphdeco-inria/gaussian-splatting at
commit 15d64e67814605c4d5b24a326aad29da74898acc: utils/loss_utils.py (l1_loss, gaussian,
create_window, ssim, _ssim; `Variable`, a no-op since torch 0.4, dropped) and train.py's
`loss = (1.0 - opt.lambda_dssim) * Ll1 + opt.lambda_dssim * (1.0 - ssim(image, gt_image))`.

Two additions, both off by default (the codebase as it is): `exact_window=True` skips the
`.float()` of create_window, so that a float64 run uses the float64 window (the codebase's
float32 window moves the float64 loss by about 1e-8), and `_ssim_map` is `_ssim`'s map before
its mean, for the per-pixel loss. Used by make_ssim_l1_fixtures.py (float64) and
compare_gaussian_splatting_speed.py (float32, timed)."""
from math import exp

import torch
import torch.nn.functional as F


def l1_loss(network_output, gt):
    return torch.abs((network_output - gt)).mean()


def gaussian(window_size, sigma):
    gauss = torch.Tensor([exp(-(x - window_size // 2) ** 2 / float(2 * sigma ** 2)) for x in range(window_size)])
    return gauss / gauss.sum()


def create_window(window_size, channel, exact_window=False):
    _1D_window = gaussian(window_size, 1.5).unsqueeze(1)
    _2D_window = _1D_window.mm(_1D_window.t())
    _2D_window = (_2D_window if exact_window else _2D_window.float()).unsqueeze(0).unsqueeze(0)
    window = _2D_window.expand(channel, 1, window_size, window_size).contiguous()
    return window


def ssim(img1, img2, window_size=11, size_average=True, exact_window=False):
    channel = img1.size(-3)
    window = create_window(window_size, channel, exact_window)
    window = window.type_as(img1)
    return _ssim(img1, img2, window, window_size, channel, size_average)


def _ssim_map(img1, img2, window, window_size, channel):
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


def _ssim(img1, img2, window, window_size, channel, size_average=True):
    ssim_map = _ssim_map(img1, img2, window, window_size, channel)
    if size_average:
        return ssim_map.mean()
    else:
        return ssim_map.mean(1).mean(1).mean(1)


def loss(image, gt_image, lambda_dssim=0.2, exact_window=False):
    """train.py's mix of the two terms."""
    Ll1 = l1_loss(image, gt_image)
    return (1.0 - lambda_dssim) * Ll1 + lambda_dssim * (1.0 - ssim(image, gt_image, exact_window=exact_window))


def pixel_loss(image, gt_image, lambda_dssim=0.2, exact_window=False):
    """The same per pixel: the two terms before their means."""
    channel = image.size(-3)
    window = create_window(11, channel, exact_window).type_as(image)
    return (1.0 - lambda_dssim) * torch.abs(image - gt_image) + lambda_dssim * (1.0 - _ssim_map(image, gt_image, window, 11, channel))
