import Dispatch

/// Which function of the SSIM map the backward kernel differentiates.
enum BackwardTarget: Sendable {
    /// `sum(upstream * SSIM)`: the pullback of the SSIM map.
    case ssimMap
    /// `sum(upstream * clamp((1 - SSIM) / 2, 0, 1))`: the pullback of the loss map.
    case lossMap
}

/// The gradient of a weighted sum of the SSIM map (or of the loss map) with respect to both
/// images, derived by hand.
///
/// With `A = 2 mu1 mu2 + C1`, `B = 2 sigma12 + C2`, `C = mu1^2 + mu2^2 + C1`,
/// `D = sigma1 + sigma2 + C2`, `den = C D + eps` and `S = A B / den`, each pixel's upstream
/// `g = dL/dS` gives the partials of the five (centred) moments
///
/// ```
/// dL/dmu1 = 2 g (mu2 B - mu1 S D) / den - 2 mu1c de11 - mu2c de12
/// dL/de11 = dL/de22 = -g S C / den,      dL/de12 = 2 g A / den
/// ```
///
/// Each partial map goes back through the adjoint of the filter `G^T` (`V^T`, then `H^T` with
/// the reflected border folded back onto the pixels it copied), and with `x~ = x - a`,
/// `y~ = y - b` (the centred images), `dL/dx = G^T dmu1 + 2 x~ G^T de11 + y~ G^T de12`.
///
/// Near identical images these are differences of nearly equal terms, so the kernel writes
/// `de12 = -2 de11 + r` with `r = 2 g (A - S C) / den` and regroups:
///
/// ```
/// m1 = 2 g (mu2 B - mu1 S D) / den - 2 (mu1c - mu2c) de11 - mu2c r
/// dL/dx = G^T m1 + 2 (x~ - y~) G^T de11 + y~ G^T r
/// dL/dy = G^T m2 + 2 (y~ - x~) G^T de11 + x~ G^T r      (m2: 1 and 2 swapped)
/// ```
///
/// with the cancellation-free forms of ``SSIMTerms/backwardParts(_:)``. For a 1-tap window the
/// variance terms then cancel exactly, as they do in exact arithmetic.
///
/// - Parameters:
///   - upstream: one value per output element, or a single value used for every element.
///   - wantsY: whether to compute the gradient of `y` (an empty array is returned otherwise).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func ssimBackward<Scalar: SSIMScalar>(
    _ x: [Scalar], _ y: [Scalar], geometry g: SSIMGeometry, constants k: SSIMConstants<Scalar>,
    target: BackwardTarget, upstream: [Scalar], wantsY: Bool
) -> (dx: [Scalar], dy: [Scalar]) {
    precondition(upstream.count == 1 || upstream.count == g.outputCount)
    let window: [Scalar] = gaussianWindow(size: g.windowSize)
    var dx = [Scalar](repeating: 0, count: x.count)
    var dy = [Scalar](repeating: 0, count: wantsY ? y.count : 0)

    x.withUnsafeBufferPointer { xb in
    y.withUnsafeBufferPointer { yb in
    window.withUnsafeBufferPointer { wb in
    upstream.withUnsafeBufferPointer { ub in
    dx.withUnsafeMutableBufferPointer { dxb in
    dy.withUnsafeMutableBufferPointer { dyb in
        let xs = SharedPointer(base: UnsafeMutablePointer(mutating: xb.baseAddress!))
        let ys = SharedPointer(base: UnsafeMutablePointer(mutating: yb.baseAddress!))
        let ws = SharedPointer(base: UnsafeMutablePointer(mutating: wb.baseAddress!))
        let us = SharedPointer(base: UnsafeMutablePointer(mutating: ub.baseAddress!))
        let dxs = SharedPointer(base: dxb.baseAddress!)
        let dys = wantsY ? dyb.baseAddress.map { SharedPointer(base: $0) } : nil
        DispatchQueue.concurrentPerform(iterations: g.planeCount) { plane in
            let offset = plane * g.planeSize
            backwardPlane(
                x: xs.base + offset, y: ys.base + offset, geometry: g, constants: k,
                window: ws.base, target: target,
                upstream: upstream.count == 1 ? nil : us.base + plane * g.outputPlaneSize,
                uniformUpstream: us.base[0],
                dx: dxs.base + offset, dy: dys.map { $0.base + offset })
        }
    }}}}}}
    return (dx, dy)
}

/// The backward pass of one plane (see ``ssimBackward(_:_:geometry:constants:target:upstream:wantsY:)``).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func backwardPlane<Scalar: SSIMScalar>(
    x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>, geometry g: SSIMGeometry,
    constants k: SSIMConstants<Scalar>, window: UnsafePointer<Scalar>, target: BackwardTarget,
    upstream: UnsafePointer<Scalar>?, uniformUpstream: Scalar,
    dx: UnsafeMutablePointer<Scalar>, dy: UnsafeMutablePointer<Scalar>?
) {
    let size = g.planeSize
    // Partials of mu1, mu2, e11 (= e22), e12 on the full plane; zero outside the output.
    let partials = UnsafeMutablePointer<Scalar>.allocate(capacity: 4 * size)
    partials.initialize(repeating: 0, count: 4 * size)
    let scratch = UnsafeMutablePointer<Scalar>.allocate(capacity: size + g.width + 2 * g.half)
    defer { partials.deallocate(); scratch.deallocate() }
    let dMu1 = partials, dMu2 = partials + size, dE = partials + 2 * size, dR = partials + 3 * size

    let shift1 = planeShift(x, count: size), shift2 = planeShift(y, count: size)
    let workspace = MomentWorkspace<Scalar>(geometry: g, bandRows: g.outputHeight)
    defer { workspace.deallocate() }
    let n = g.outputWidth, firstColumn = g.outputColumns.lowerBound
    forEachMomentRow(x: x, y: y, shift1: shift1, shift2: shift2, geometry: g, window: window, rows: g.outputRows, workspace: workspace) { r, m in
        let upstreamRow = upstream.map { $0 + (r - g.outputRows.lowerBound) * n }
        let base = r * g.width + firstColumn
        for c in 0..<n {
            let t = SSIMTerms(m, c, shift1: shift1, shift2: shift2, k)
            let u = upstreamRow?[c] ?? uniformUpstream
            let gS: Scalar
            switch target {
            case .ssimMap: gS = u
            case .lossMap:
                let loss = t.dissimilarity(k)
                gS = (loss >= 0 && loss <= 1) ? -u / 2 : 0
            }
            let parts = t.backwardParts(k)
            let scale = 2 * gS / t.denominator
            let e = -gS * t.ssim * t.c / t.denominator, r = scale * parts.excess
            let dMu = t.mu1c - t.mu2c
            dE[base + c] = e
            dR[base + c] = r
            dMu1[base + c] = scale * parts.mean1 - 2 * dMu * e - t.mu2c * r
            dMu2[base + c] = scale * parts.mean2 + 2 * dMu * e - t.mu1c * r
        }
    }

    for p in 0..<4 where p != 1 || dy != nil {
        adjointFilter(partials + p * size, geometry: g, window: window, scratch: scratch)
    }
    for i in 0..<size {
        let a = x[i] - shift1, b = y[i] - shift2
        dx[i] = dMu1[i] + 2 * (a - b) * dE[i] + b * dR[i]
        if let dy { dy[i] = dMu2[i] + 2 * (b - a) * dE[i] + a * dR[i] }
    }
}

/// Replaces a plane of gradients with respect to the filtered moments by the gradient with
/// respect to the filter's input: the adjoint of the separable filter with reflect border,
/// `H^T V^T`. `scratch` holds a plane plus one padded row.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func adjointFilter<Scalar: SSIMScalar>(
    _ plane: UnsafeMutablePointer<Scalar>, geometry g: SSIMGeometry, window: UnsafePointer<Scalar>,
    scratch: UnsafeMutablePointer<Scalar>
) {
    let width = g.width, half = g.half, taps = g.windowSize
    let columns = g.outputColumns
    let transposed = scratch, padded = scratch + g.planeSize
    transposed.initialize(repeating: 0, count: g.planeSize)
    // V^T: each output row r spreads into rows reflect(r - half + k) with weight w[k].
    for r in g.outputRows {
        let source = plane + r * width
        for k in 0..<taps {
            let destination = transposed + SSIMGeometry.reflect(r - half + k, g.height) * width
            let wk = window[k]
            for c in columns { destination[c] += wk * source[c] }
        }
    }
    // H^T: each column c spreads into padded positions c + k, folded back through the border.
    let paddedCount = width + 2 * half
    for i in 0..<g.height {
        let source = transposed + i * width
        padded.initialize(repeating: 0, count: paddedCount)
        for k in 0..<taps {
            let wk = window[k], shifted = padded + k
            for c in columns { shifted[c] += wk * source[c] }
        }
        let destination = plane + i * width
        for c in 0..<width { destination[c] = padded[c + half] }
        for j in 0..<half {
            destination[SSIMGeometry.reflect(j - half, width)] += padded[j]
            destination[SSIMGeometry.reflect(width + j, width)] += padded[width + half + j]
        }
    }
}
