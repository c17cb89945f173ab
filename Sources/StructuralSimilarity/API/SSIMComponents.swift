/// The three terms of SSIM and the contrast-structure term, each a map of the SSIM map's shape
/// (Wang et al. 2004, eq. 6-9; MATLAB's `ssim` documentation):
///
/// ```
/// luminance          l  = (2 mu1 mu2 + C1) / (mu1^2 + mu2^2 + C1)
/// contrast           c  = (2 sd1 sd2 + C2) / (sigma1 + sigma2 + C2)
/// structure          s  = (sigma12 + C3) / (sd1 sd2 + C3)
/// contrastStructure  cs = c s   (= (2 sigma12 + C2) / (sigma1 + sigma2 + C2) for C3 = C2 / 2)
/// ```
///
/// with the moments of ``SSIMOptions`` (`sigma` the variances, `sd = sqrt(max(sigma, 0))`),
/// `C3 = C2 / 2` unless ``SSIMOptions/regularizationConstants`` says otherwise, and no `eps`.
/// `l c s` is the general form with exponents of 1, the SSIM map (up to the `eps` of the
/// options, which only the usual formula adds); `cs` is the factor Wang's MS-SSIM takes at every
/// scale but the coarsest, torchmetrics' `return_contrast_sensitivity`.
///
/// ```swift
/// let parts = try ssimComponents(x, y, options: .matlab)
/// let product = parts.luminance * parts.contrastStructure      // the SSIM map
/// ```
public struct SSIMComponents<Scalar: SSIMScalar>: Sendable {
    /// The luminance term `l`.
    public let luminance: Tensor<Scalar>
    /// The contrast term `c`.
    public let contrast: Tensor<Scalar>
    /// The structure term `s`.
    public let structure: Tensor<Scalar>
    /// The contrast-structure term `c s`.
    public let contrastStructure: Tensor<Scalar>
}

/// The luminance, contrast, structure and contrast-structure maps of two batches of images
/// under `options` (its ``SSIMOptions/exponents`` are not used: the terms are not raised).
///
/// Each map has the shape of ``ssim(_:_:options:)``'s. The gradient of a term is that of the
/// general form with its exponent 1 and the others 0:
///
/// ```swift
/// let terms = try ssimComponents(x, y, options: .kornia)
/// var onlyLuminance = SSIMOptions.kornia
/// onlyLuminance.exponents = SSIMExponents(alpha: 1, beta: 0, gamma: 0)
/// let luminance = try ssim(x, y, options: onlyLuminance)   // terms.luminance, differentiable
/// ```
///
/// - Throws: ``SSIMError`` as ``ssim(_:_:options:)``.
/// - Complexity: four passes of O(B C H W windowSize), spread over all cores.
public func ssimComponents<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: SSIMOptions = .kornia
) throws -> SSIMComponents<Scalar> {
    try options.validate()
    func term(_ exponents: SSIMExponents) throws -> Tensor<Scalar> {
        var termOptions = options
        termOptions.exponents = exponents
        return evaluate(img1, img2, try PlanarPlan(img1, img2, options: termOptions, target: .map))
    }
    // cs is B / D, the MS-SSIM statistic, unless C3 is not C2 / 2.
    var usual = options
    usual.exponents = .one
    let plan = try PlanarPlan(img1, img2, options: usual, target: .map)
    let contrastStructure =
        plan.constants.general == nil
        ? evaluate(img1, img2, try PlanarPlan(img1, img2, options: usual, target: .contrastStructure))
        : try term(SSIMExponents(alpha: 0, beta: 1, gamma: 1))
    return SSIMComponents(
        luminance: try term(SSIMExponents(alpha: 1, beta: 0, gamma: 0)), contrast: try term(SSIMExponents(alpha: 0, beta: 1, gamma: 0)),
        structure: try term(SSIMExponents(alpha: 0, beta: 0, gamma: 1)), contrastStructure: contrastStructure)
}
