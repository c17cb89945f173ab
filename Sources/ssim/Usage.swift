/// The help text, printed by `-h` / `--help` to standard output.
enum Usage {
    static let version = "0.2.0"

    /// The line printed after a usage error.
    static let hint = "Usage: ssim IMAGE1 IMAGE2 [options] | ssim DIR1 DIR2 [options] | ssim demo [--output DIR]  (see 'ssim --help')"

    static let text = """
        OVERVIEW: Structural similarity (SSIM) of two images or tensors, with Kornia 0.9.0's numbers
                  (or another library's: --convention).

        USAGE: ssim IMAGE1 IMAGE2 [options]
               ssim VIDEO1.y4m VIDEO2.y4m [options]
               ssim DIR1 DIR2 [options]
               ssim demo [--output DIR]

        ARGUMENTS:
          IMAGE1 IMAGE2           Images: PNG, JPEG, WebP, AVIF, TIFF (8/16-bit, float32), GIF (first
                                  frame), BMP, PNM, told apart by content, not by name (scaled to
                                  [0, 1]; 16-bit keeps its precision), or NumPy
                                  .npy arrays (H,W), (C,H,W) or (B,C,H,W) of float32, float64 or uint8
                                  (uint8 is not rescaled, as in Kornia: pass --max-value 255).
                                  A float64 input makes the comparison float64. Two rank-5 .npy
                                  volumes (B,C,D,H,W) are compared with the 3-D SSIM (Kornia's
                                  ssim3d: a 3-D Gaussian window); their --map is .npy only.
          VIDEO1.y4m VIDEO2.y4m   YUV4MPEG2 videos (4:2:0, 4:2:2, 4:4:4 or mono, 8 to 16 bits, the same
                                  size, chroma and depth): one line per frame with the SSIM of Y, U,
                                  V, All (their mean weighted by pixel count) and 10 log10(1/(1-All))
                                  dB, then a summary (means, their dB, min, p1, p5, p50 of All, the
                                  worst frame); read frame by frame, frames compared in parallel.
                                  Each plane is an image in [0, 1] under the convention (Kornia's by
                                  default); --convention ffmpeg gives FFmpeg's ssim filter's numbers.
                                  --json: one object per frame, then {"videoSummary": {...}}.
          DIR1 DIR2               Compare every image or .npy file of DIR1 with the file of the
                                  same name in DIR2: one line per pair, then a summary (count, mean
                                  SSIM, the 5 lowest). Files found on one side only are reported as
                                  warnings and in the summary. A pair that fails is reported and the
                                  others are still compared. A progress bar is drawn on standard
                                  error when it is a terminal.
          demo                    Compare a built-in picture with five distortions of equal MSE.

        OPTIONS:
          --metric M              ssim | ms-ssim (default: ssim). ms-ssim is Wang, Simoncelli and
                                  Bovik's multi-scale SSIM (the MS-SSIM of pytorch-msssim, TensorFlow,
                                  torchmetrics, piq): the images halved 4 times, one value per image,
                                  printed as "MS-SSIM 0.xxxxxxxx  A vs B" (the mean over a batch).
                                  It is not --loss ms-ssim (Kornia's MS-SSIM + L1 loss at full
                                  resolution). It takes --convention wang | pytorch-msssim |
                                  tensorflow | torchmetrics | piq (default: wang, msssim.m: data range
                                  255, images of at least 176 x 176), --weights, --window-size,
                                  --sigma, --k1, --k2, --max-value, --min-msssim and --grad (of the
                                  mean 1 - MS-SSIM); folders and rank-5 .npy volumes work
          --weights W1,W2,...     (--metric ms-ssim) the exponent of each scale, finest first; their
                                  number is the number of scales (default: 0.0448,0.2856,0.3001,
                                  0.2363,0.1333; fewer weights take smaller images)
          --min-msssim X          (--metric ms-ssim) exit with status 3 when the MS-SSIM is below X
          --convention C          whose SSIM to reproduce: kornia, scikit-image, scikit-image-gaussian,
                                  torchmetrics, pytorch-msssim, tensorflow, piq, matlab, ffmpeg
                                  (default: kornia). Sets the window, border, crop, covariance, K1,
                                  K2, data range, eps and piq's downsampling; the options below
                                  override it. ffmpeg: FFmpeg's ssim filter (x264's 8 x 8 windows on
                                  a 4-pixel grid, its constants and arithmetic) for .y4m videos and
                                  PNG stills (planes R, G, B or Y); no option overrides it.
                                  pytorch-msssim's range is 255 and torchmetrics' is taken from
                                  the inputs, as their defaults; pass --max-value for yours.
          --window-size N         window size, odd (default: 11); scikit-image's is 7
          --sigma S               the Gaussian window's standard deviation (default: 1.5)
          --border B              reflect | symmetric | replicate | zero: what the window reads
                                  beyond the edges with padding same (default: the convention's,
                                  reflect for kornia)
          --k1 K, --k2 K          the SSIM constants C1 = (K1 L)^2, C2 = (K2 L)^2 (default: 0.01, 0.03)
          --exponents A,B,G       MATLAB's general form l^A c^B s^G of the luminance, contrast and
                                  structure terms (default: 1,1,1, the usual SSIM; no eps)
          --regularization-constants C1,C2,C3
                                  MATLAB's RegularizationConstants in the data's units, replacing
                                  (K1 L)^2, (K2 L)^2 and C3 = C2/2 (the structure term's constant)
          --max-value V           dynamic range L of the pixels (default: 1)
          --eps E                 added to the SSIM denominator (default: 1e-12); 0 under the
                                  other conventions
          --padding P             same | valid (default: same); valid under the conventions other
                                  than kornia, torchmetrics and matlab
          --reduction R           mean | sum | none (default: mean); with none, the loss printed is
                                  the mean of the loss map
          --loss L                ssim | ms-ssim | gaussian-splatting | monodepth2 (default: ssim).
                                  ms-ssim is Kornia's MS_SSIMLoss, the
                                  MS-SSIM + L1 loss of Zhao et al. (zero padding, all scales at full
                                  resolution; not Wang's MS-SSIM, which is --metric ms-ssim); --max-value is its data range; --window-size, --eps,
                                  --padding and --map do not apply; two files only, not folders.
                                  gaussian-splatting and monodepth2 are the SSIM + L1 losses of those
                                  codebases: (1 - lambda) |x - y| + lambda (1 - SSIM) (an 11-tap
                                  Gaussian, zero border) and 0.85 clamp((1 - SSIM) / 2, 0, 1) +
                                  0.15 |x - y| (a 3 x 3 box, reflect border), per pixel, then
                                  --reduction; printed as "SSIM+L1 loss (NAME, mean) 0.xxxxxxxx  A vs B".
                                  --window-size, --sigma, --border, --padding, --eps, --k1, --k2,
                                  --max-value override the preset's SSIM; --convention, --map,
                                  --min-ssim, --stats, --diff, --mask and --components do not apply;
                                  --loss-map (.npy) and --grad do; two files only, not folders
          --lambda L              (gaussian-splatting) its lambda_dssim, the weight of 1 - SSIM, in
                                  [0, 1] (default: 0.2)
          --sigmas S1,S2,...      (ms-ssim) the Gaussian sigma of each scale, the coarsest last
                                  (default: 0.5,1,2,4,8)
          --alpha A               (ms-ssim) weight of the MS-SSIM term, in [0, 1] (default: 0.025)
          --alpha composite[=COLOR] | drop | channel
                                  what is compared when an image has transparency (default:
                                  composite over white): composite blends the colour over COLOR
                                  (white, black, gray, a number in [0, 1] or #RRGGBB) as a viewer
                                  shows it, so colours under fully transparent pixels do not count;
                                  drop compares the stored colour and ignores alpha; channel
                                  compares alpha as one more channel
          --icc convert|ignore    convert an embedded ICC profile (Display P3, Adobe RGB...) to
                                  sRGB with LittleCMS before comparing (default: convert)
          --orientation apply|ignore
                                  turn JPEG/TIFF/AVIF pictures upright by their orientation (EXIF
                                  tag, TIFF tag, irot/imir), as viewers do (default: apply)
          --grayscale G           matlab | bt601 | bt709 | none: compare one channel made from RGB with
                                  MATLAB's rgb2gray weights or the Y of BT.601 or BT.709 YCbCr
                                  (default: none)
          --compensation C        (ms-ssim) factor of the whole loss (default: 200)
          --json                  print JSON instead of the line for people: one object per
                                  comparison, keys ssim, loss, shape, dtype, windowSize, padding,
                                  reduction, maxValue (null: from the inputs), eps, image1, image2,
                                  convention, sigma (null: uniform window), border, k1, k2 (ms-ssim:
                                  ssim null, padding and border "zero", sigma null, plus
                                  lossFunction, sigmas, alpha, compensation; gaussian-splatting and
                                  monodepth2: ssim null, convention the loss, plus lossFunction,
                                  ssimWeight, l1Weight, ssimTerm; --metric ms-ssim: metric,
                                  msssim, convention, weights, shape, dtype, windowSize, sigma, k1,
                                  k2, maxValue, image1, image2); with folders, one line
                                  per pair ({"image1", "image2", "error", "status"} for a failed
                                  one), then {"summary": {...}}
          --mask MASK             masked SSIM: the weights in [0, 1] of each pixel, from an image (grey
                                  or one per channel) or a .npy (H, W), (C, H, W) or (B, C, H, W);
                                  every window's statistics are normalised convolutions, so weight 0
                                  leaves a pixel out of every window; the mean SSIM and loss are
                                  weighted means, the map is NaN where no window weight is in sight.
                                  With folders, one mask for every pair or a folder of one mask per
                                  pair (same names)
          --map FILE              write the SSIM map: .png a heat-map (bright = dissimilar), .npy raw values
          --loss-map FILE.npy     write the per-element loss (reduction none; ms-ssim: (B, H, W), or
                                  for one image a .png heat-map scaled 0 to its largest loss)
          --grad FILE.npy         write the gradient of the reduced loss with respect to IMAGE1
          --components DIR        write the SSIM's terms, each the shape of the map, to DIR (created
                                  if missing): luminance.npy, contrast.npy, structure.npy,
                                  contrast-structure.npy (with folders: NAME.luminance.npy, ...)
                                  With folders, --map, --loss-map and --grad each name a folder
                                  (created if missing, not an input folder) that receives one file
                                  per pair: NAME.ssim-map.png (heat-map; NAME.ssim-map.npy for
                                  volumes), NAME.loss-map.npy, NAME.grad.npy.
          --min-ssim X            exit with status 3 when the mean SSIM is below X (the line ends in
                                  "BELOW --min-ssim X"; JSON: thresholds, passed); with folders, when
                                  any pair is, and the summary lists every pair below
          --max-loss X            the same when the loss printed is above X (also for --loss ms-ssim)
          --stats                 also print the local map's min, p1, p5, p50, the worst window (x, y
                                  and SSIM; the local map is the lowest SSIM over the channels at each
                                  position), PSNR and MSE over the whole images in units of the data
                                  range (a second line; JSON: "stats")
          --diff FILE.png         write IMAGE1 faded, positions of local SSIM below 0.7 tinted red and
                                  boxed (SSIMTesting's overlay); with folders a folder of NAME.diff.png
          --output DIR            (demo) folder for the pictures (default: demo-output)
          -h, --help              show this help
          --version               show the version

        Outputs are written to a temporary file and renamed into place (an interrupted or failed
        write leaves nothing); an output that is one of the inputs is refused.

        JSON lines end with "schemaVersion": 1 (Documentation/ssim-output.schema.json).

        EXIT STATUS: 0 success, 64 usage error, 65 unreadable or invalid data (with folders: any
        pair failed), 1 other errors (such as an output that cannot be written), 3 below --min-ssim
        or --min-msssim or above --max-loss (with folders: a pair below, and no pair failed).
        """
}
