/// Everything the tasks of one MS-SSIM evaluation share, read-only: sizes, masks (also as
/// pointers for the C loops), constants, and the border weights of the centring (nil for
/// `Double` with `.kornia` masks, whose dense residual is not separable: those are not centred,
/// Double has the digits to spare).
struct MultiScaleContext<Scalar: SSIMScalar>: @unchecked Sendable {
    let geometry: MultiScaleGeometry
    let masks: MultiScaleMasks<Scalar>
    let pointers: ScaleMaskPointers<Scalar>
    let constants: MultiScaleConstants<Scalar>
    let border: BorderTable?

    init(geometry: MultiScaleGeometry, masks: MultiScaleMasks<Scalar>, constants: MultiScaleConstants<Scalar>) {
        self.geometry = geometry
        self.masks = masks
        self.constants = constants
        pointers = ScaleMaskPointers(masks)
        border = masks.hasResidual ? nil : BorderTable(reference: masks.reference, half: masks.half, height: geometry.height, width: geometry.width)
    }

    func deallocate() { pointers.deallocate() }
}
