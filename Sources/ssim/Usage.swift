/// The help text, printed by `-h` / `--help` to standard output.
enum Usage {
    static let version = "0.1.0"

    static let text = """
    OVERVIEW: Structural similarity (SSIM) of two images or tensors, with Kornia 0.9.0's numbers.

    USAGE: ssim IMAGE1 IMAGE2 [options]
           ssim demo [--output DIR]

    ARGUMENTS:
      IMAGE1 IMAGE2           PNG or JPEG images (scaled to [0, 1]; alpha is dropped), or NumPy
                              .npy arrays (H,W), (C,H,W) or (B,C,H,W) of float32, float64 or uint8
                              (uint8 is not rescaled, as in Kornia). float64 is computed in Double.
      demo                    Compare a built-in picture with five distortions of equal MSE.

    OPTIONS:
      --window-size N         Gaussian window size, odd (default: 11)
      --max-value V           dynamic range of the pixels (default: 1)
      --eps E                 added to the SSIM denominator (default: 1e-12)
      --padding P             same | valid (default: same)
      --reduction R           mean | sum | none (default: mean)
      --json                  print one JSON object instead of the line for people
      --map FILE              write the SSIM map: .png a heat-map (bright = dissimilar), .npy raw values
      --loss-map FILE.npy     write the per-element loss (reduction none)
      --grad FILE.npy         write the gradient of the reduced loss with respect to IMAGE1
      --output DIR            (demo) folder for the pictures (default: demo-output)
      -h, --help              show this help
      --version               show the version

    EXIT STATUS: 0 success, 64 usage error, 65 unreadable or invalid data, 1 other errors.
    """
}
