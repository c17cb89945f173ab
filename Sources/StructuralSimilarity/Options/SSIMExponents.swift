/// The exponents of MATLAB's general form of SSIM (`ssim(A, ref, "Exponents", [alpha beta gamma])`):
///
/// ```
/// SSIM = l^alpha c^beta s^gamma,   l = (2 mu1 mu2 + C1) / (mu1^2 + mu2^2 + C1),
/// c = (2 sd1 sd2 + C2) / (sigma1 + sigma2 + C2),   s = (sigma12 + C3) / (sd1 sd2 + C3)
/// ```
///
/// with `sd = sqrt(max(sigma, 0))` (see ``SSIMComponents`` and
/// <doc:ComponentsAndPhotometricLosses>). With every exponent 1 and `C3 = C2 / 2` (the default) it is the usual
/// SSIM, computed by the usual formula (the same bits). An exponent of 0 drops its term; under
/// a fractional exponent a negative term counts as 0 (its gradient too), as MATLAB clamps it.
///
/// ```swift
/// var options = SSIMOptions.matlab
/// options.exponents = SSIMExponents(alpha: 1, beta: 0.5, gamma: 2)
/// let map = try ssim(x, y, options: options)
/// ```
public struct SSIMExponents: Sendable, Hashable {
    /// The luminance term's exponent.
    public var alpha: Double
    /// The contrast term's exponent.
    public var beta: Double
    /// The structure term's exponent.
    public var gamma: Double

    /// Exponents of the three terms: finite and not negative, as MATLAB requires.
    public init(alpha: Double = 1, beta: Double = 1, gamma: Double = 1) {
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
    }

    /// All three 1: the usual SSIM (MATLAB's default).
    public static let one = SSIMExponents()

    /// Throws ``SSIMError/invalidExponent(name:value:)`` unless every exponent is finite and
    /// not negative.
    func validate() throws {
        for (name, value) in [("alpha", alpha), ("beta", beta), ("gamma", gamma)] where !(value.isFinite && value >= 0) {
            throw SSIMError.invalidExponent(name: name, value: value)
        }
    }
}
