/// MATLAB's general form of SSIM in the kernels' units (see ``SSIMExponents``): `C3` divided by
/// `L^2` like `C1` and `C2`, and the three exponents. The kernels use it in place of the usual
/// formula (`ssim_general_formula_f` in CSSIMKernels) when it is set.
struct SSIMGeneralForm<Scalar: SSIMScalar>: Sendable {
    let c3: Scalar
    let alpha: Scalar
    let beta: Scalar
    let gamma: Scalar
}

extension SSIMConstants {
    /// These constants with `options`' regularization constants and exponents for the data
    /// range `range`: unchanged when the options have neither; else `C1`, `C2` (and `C3`) from
    /// ``SSIMOptions/regularizationConstants`` over `L^2`, and the general form unless the
    /// exponents are 1 and `C3 = C2 / 2` (then the usual formula, with these `C1` and `C2`).
    /// And with the photometric mix `mix` of ``SSIML1Loss``, if any.
    func generalized(_ options: SSIMOptions, range: Double, mix: PhotometricMix<Scalar>? = nil) -> SSIMConstants {
        guard options.exponents != .one || options.regularizationConstants != nil || mix != nil else { return self }
        let square = range * range, given = options.regularizationConstants
        let c1 = given.map { $0.c1 / square } ?? options.k1 * options.k1
        let c2 = given.map { $0.c2 / square } ?? options.k2 * options.k2
        let c3 = given.map { $0.c3 / square } ?? c2 / 2
        let e = options.exponents
        let general =
            e == .one && c3 == c2 / 2
            ? nil : SSIMGeneralForm(c3: Scalar(c3), alpha: Scalar(e.alpha), beta: Scalar(e.beta), gamma: Scalar(e.gamma))
        return SSIMConstants(self, c1: given == nil ? self.c1 : Scalar(c1), c2: given == nil ? self.c2 : Scalar(c2), general: general, mix: mix)
    }

    /// A copy with other `C1`, `C2`, general form and mix.
    private init(_ base: SSIMConstants, c1: Scalar, c2: Scalar, general: SSIMGeneralForm<Scalar>?, mix: PhotometricMix<Scalar>?) {
        self.c1 = c1
        self.c2 = c2
        eps = base.eps
        scale = base.scale
        covarianceScale = base.covarianceScale
        window = base.window
        centresPlanes = base.centresPlanes
        self.general = general
        self.mix = mix
    }
}
