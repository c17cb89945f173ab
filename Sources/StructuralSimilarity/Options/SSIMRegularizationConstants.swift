/// MATLAB's `RegularizationConstants` [C1 C2 C3]: the constants of the luminance, contrast and
/// structure terms in the images' own units (squared), in place of `C1 = (k1 L)^2`,
/// `C2 = (k2 L)^2` and `C3 = C2 / 2` (see ``SSIMExponents`` for the formula). With `C3 = C2 / 2`
/// and exponents of 1 the usual SSIM formula is used, with these C1 and C2.
///
/// ```swift
/// var options = SSIMOptions.matlab
/// options.dataRange = .value(255)
/// options.regularizationConstants = SSIMRegularizationConstants(c1: 6.5025, c2: 58.5225, c3: 10)
/// let map = try ssim(x, y, options: options)
/// ```
public struct SSIMRegularizationConstants: Sendable, Hashable {
    /// The luminance term's constant.
    public var c1: Double
    /// The contrast term's constant.
    public var c2: Double
    /// The structure term's constant.
    public var c3: Double

    /// The three constants, finite and not negative; `c3` defaults to `c2 / 2`.
    public init(c1: Double, c2: Double, c3: Double? = nil) {
        self.c1 = c1
        self.c2 = c2
        self.c3 = c3 ?? c2 / 2
    }

    /// Throws ``SSIMError/invalidRegularizationConstant(name:value:)`` unless every constant is
    /// finite and not negative.
    func validate() throws {
        for (name, value) in [("C1", c1), ("C2", c2), ("C3", c3)] where !(value.isFinite && value >= 0) {
            throw SSIMError.invalidRegularizationConstant(name: name, value: value)
        }
    }
}
