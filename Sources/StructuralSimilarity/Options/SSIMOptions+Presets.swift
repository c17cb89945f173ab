/// The conventions of the SSIM libraries people compare against: each preset gives that
/// library's mean SSIM (the mean of ``ssim(_:_:options:)``'s map) on the same data, measured by
/// `Scripts/make_convention_fixtures.py` (see the README for the versions and errors).
extension SSIMOptions {
    /// Kornia 0.9.0 `kornia.metrics.ssim(img1, img2, 11)`: Gaussian sigma 1.5, 11 taps,
    /// reflect border (edge not repeated), `same` map, population moments, K 0.01/0.03,
    /// `max_val` 1, `eps` 1e-12. The default of every function of this package.
    public static let kornia = SSIMOptions()

    /// scikit-image `structural_similarity(im1, im2, data_range=1, channel_axis=...)` with its
    /// defaults: a 7 x 7 uniform window (`win_size=7`), sample covariance
    /// (`use_sample_covariance=True`: times 49/48), K 0.01/0.03, no eps; the map is cropped by
    /// `(win_size - 1) // 2 = 3` on every side, as scikit-image crops before its mean (its
    /// `full=True` map is this with `padding: .same`, `border: .symmetric`, scipy's 'reflect').
    /// scikit-image requires `data_range` for float images: set ``dataRange`` to yours.
    public static let scikitImage = SSIMOptions(
        window: .uniform, windowSize: 7, border: .symmetric, padding: .valid, covariance: .sample, eps: 0)

    /// scikit-image `structural_similarity(..., gaussian_weights=True, sigma=1.5,
    /// use_sample_covariance=False, data_range=1)`, Wang et al.'s settings: Gaussian sigma 1.5
    /// truncated at 3.5 sigma (11 taps), population moments, no eps, cropped by 5.
    public static let scikitImageGaussian = SSIMOptions(
        window: .gaussian(sigma: 1.5), windowSize: 11, border: .symmetric, padding: .valid, covariance: .population, eps: 0)

    /// torchmetrics 1.9 `structural_similarity_index_measure(preds, target)` (and the
    /// `StructuralSimilarityIndexMeasure` metric) with its defaults: Gaussian sigma 1.5,
    /// 11 taps (`int(3.5 sigma + 0.5) * 2 + 1`), reflect padding by 5 (edge not repeated) and
    /// the mean over the whole map of the input's size (its `return_full_image` map: only the
    /// contrast-sensitivity output is cropped), population moments, no eps, and
    /// `data_range=None`: the range is the larger `max - min` of the two inputs
    /// (``DataRange/inputSpan``). torchmetrics also clamps negative variances to 0, which
    /// differs only by roundoff on flat regions. That is Kornia's convention with `eps` 0.
    public static let torchmetrics = SSIMOptions(
        window: .gaussian(sigma: 1.5), windowSize: 11, border: .reflect, padding: .same, covariance: .population,
        dataRange: .inputSpan, eps: 0)

    /// pytorch-msssim 1.0 `ssim(X, Y)` with its defaults: `win_size=11`, `win_sigma=1.5` with
    /// the window built in float32 (``SSIMWindow/gaussianFloat32(sigma:)``), `VALID`
    /// convolutions, population moments, K 0.01/0.03, no eps, and `data_range=255`. Its taps do
    /// not sum to 1 in Double, so the pixels are filtered raw, not centred on the plane means,
    /// as the peer does.
    public static let pytorchMSSSIM = SSIMOptions(
        window: .gaussianFloat32(sigma: 1.5), windowSize: 11, border: .reflect, padding: .valid,
        covariance: .population, dataRange: .value(255), eps: 0)

    /// TensorFlow `tf.image.ssim(img1, img2, max_val=1.0)` with its defaults:
    /// `filter_size=11`, `filter_sigma=1.5`, `VALID` depthwise convolution, population moments,
    /// `k1=0.01`, `k2=0.03`, no eps. TensorFlow computes in float32; `max_val` has no default
    /// there: set ``dataRange`` to yours.
    public static let tensorflow = SSIMOptions(
        window: .gaussian(sigma: 1.5), windowSize: 11, border: .reflect, padding: .valid, covariance: .population, eps: 0)

    /// piq 0.8 `piq.ssim(x, y)` with its defaults: `data_range=1.0`, `kernel_size=11`,
    /// `kernel_sigma=1.5`, `k1=0.01`, `k2=0.03`, and `downsample=True`: images average-pooled
    /// by `f = max(1, round(min(H, W) / 256))` first (``Downsampling/piqAutomatic``), then
    /// `VALID` convolutions, population moments, no eps. The map is at the reduced size.
    public static let piq = SSIMOptions(
        window: .gaussian(sigma: 1.5), windowSize: 11, border: .reflect, padding: .valid, covariance: .population,
        eps: 0, downsampling: .piqAutomatic)

    /// MATLAB `ssim(A, ref)` as its documentation defines it for a 2-D image of class double:
    /// `Radius` (sigma) 1.5, a Gaussian of `2 ceil(3 sigma) + 1 = 11` taps applied by
    /// `imgaussfilt` with `'Padding','replicate'`, the map the size of the image and
    /// `ssimval = mean(ssimmap(:))`, exponents 1, `RegularizationConstants` C1 = (0.01 L)^2,
    /// C2 = (0.03 L)^2 (C3 = C2 / 2), `DynamicRange` 1 for double images, no eps. Computed on
    /// every channel plane (MATLAB treats an M x N x 3 array as a volume: convert RGB with
    /// ``GrayscaleConversion/matlabRGB2Gray`` first, as MATLAB users do with `rgb2gray`).
    public static let matlab = SSIMOptions(
        window: .gaussian(sigma: 1.5), windowSize: 11, border: .replicate, padding: .same, covariance: .population, eps: 0)
}

/// The named conventions, for the command line and for listing: each names a preset of
/// ``SSIMOptions``.
///
/// ```swift
/// let convention = SSIMConvention(rawValue: "scikit-image")!   // .scikitImage
/// let s = try ssim(x, y, options: convention.options)
/// ```
public enum SSIMConvention: String, Sendable, Hashable, CaseIterable {
    case kornia
    case scikitImage = "scikit-image"
    case scikitImageGaussian = "scikit-image-gaussian"
    case torchmetrics
    case pytorchMSSSIM = "pytorch-msssim"
    case tensorflow
    case piq
    case matlab

    /// The preset's options.
    public var options: SSIMOptions {
        switch self {
        case .kornia: return .kornia
        case .scikitImage: return .scikitImage
        case .scikitImageGaussian: return .scikitImageGaussian
        case .torchmetrics: return .torchmetrics
        case .pytorchMSSSIM: return .pytorchMSSSIM
        case .tensorflow: return .tensorflow
        case .piq: return .piq
        case .matlab: return .matlab
        }
    }
}
