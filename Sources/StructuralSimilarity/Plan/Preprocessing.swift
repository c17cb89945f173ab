import Dispatch

/// What ``SSIMOptions`` does to the images before SSIM: an optional RGB-to-one-channel
/// conversion (``GrayscaleConversion``), then an optional average pooling by `factor x factor`
/// blocks (``Downsampling``). Both are affine, so the gradient goes back through their adjoint:
///
/// ```
/// gray[b, 0, h, w]   = wr x[b, 0, h, w] + wg x[b, 1, h, w] + wb x[b, 2, h, w] + offset
/// pooled[b, c, i, j] = sum_{p, q < f} x[b, c, f i + p, f j + q] / f^2       (floor(H / f) x floor(W / f))
/// ```
struct ImagePreprocessing: Sendable, Hashable {
    let grayscale: GrayscaleConversion
    let factor: Int

    /// The preprocessing of `options` for images of `shape` (rank 4, checked by the caller).
    /// - Throws: ``SSIMError`` for a grayscale conversion of images without 3 channels, or a
    ///   pooling that leaves no pixel.
    init(_ options: SSIMOptions, shape: [Int]) throws {
        grayscale = options.grayscale
        if grayscale != .none && shape[1] != 3 {
            throw SSIMError.grayscaleNeedsThreeChannels(shape: shape, conversion: grayscale)
        }
        factor = options.downsampling.factor(height: shape[2], width: shape[3])
    }

    var isIdentity: Bool { grayscale == .none && factor == 1 }

    /// The shape of a preprocessed image of `shape`.
    func outputShape(_ shape: [Int]) -> [Int] {
        [shape[0], grayscale == .none ? shape[1] : 1, shape[2] / factor, shape[3] / factor]
    }

    /// The preprocessed images.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func apply<Scalar: SSIMScalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        guard !isIdentity else { return x }
        var shape = x.shape, scalars = x.scalars
        if let k = grayscale.coefficients {
            let plane = shape[2] * shape[3]
            var gray = [Scalar](repeating: 0, count: shape[0] * plane)
            for b in 0..<shape[0] {
                let base = b * 3 * plane
                for i in 0..<plane {
                    let value = k.r * Double(scalars[base + i]) + k.g * Double(scalars[base + plane + i]) + k.b * Double(scalars[base + 2 * plane + i])
                    gray[b * plane + i] = Scalar(value + k.offset)
                }
            }
            shape[1] = 1
            scalars = gray
        }
        if factor > 1 {
            // One task per output row; each element sums its block in the same order whatever
            // the thread count.
            let f = factor, inputHeight = shape[2], inputWidth = shape[3], height = inputHeight / f, width = inputWidth / f
            let planes = shape[0] * shape[1], blockSize = Scalar(f * f)
            scalars = scalars.withUnsafeBufferPointer { source in
                let input = SharedPointer(base: UnsafeMutablePointer(mutating: source.baseAddress!))
                return filledArray(count: planes * height * width) { output in
                    DispatchQueue.concurrentPerform(iterations: planes * height) { row in
                        let top = input.base + (row / height) * inputHeight * inputWidth + f * (row % height) * inputWidth
                        let destination = output!.base + row * width
                        for j in 0..<width {
                            var total = Scalar(0)
                            for p in 0..<f {
                                for q in 0..<f { total += top[p * inputWidth + f * j + q] }
                            }
                            destination[j] = total / blockSize
                        }
                    }
                }
            }
            shape[2] = height
            shape[3] = width
        }
        return Tensor(uncheckedShape: shape, scalars: scalars)
    }

    /// The adjoint: the gradient with respect to images of `shape` from the gradient of their
    /// preprocessed versions (one value, e.g. the rank-0 zero, stands for every element).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func adjoint<Scalar: SSIMScalar>(_ gradient: Tensor<Scalar>, inputShape shape: [Int]) -> Tensor<Scalar> {
        guard !isIdentity else { return gradient }
        let reduced = outputShape(shape)
        var g =
            gradient.scalars.count == 1 && reduced.reduce(1, *) != 1
            ? Array(repeating: gradient.scalars[0], count: reduced.reduce(1, *)) : gradient.scalars
        let channels = reduced[1]
        if factor > 1 {
            let f = factor, height = reduced[2], width = reduced[3]
            var spread = [Scalar](repeating: 0, count: shape[0] * channels * shape[2] * shape[3])
            let weight = 1 / Scalar(f * f)
            for plane in 0..<(shape[0] * channels) {
                let destination = plane * shape[2] * shape[3]
                for i in 0..<height {
                    for j in 0..<width {
                        let value = g[(plane * height + i) * width + j] * weight
                        for p in 0..<f {
                            for q in 0..<f { spread[destination + (f * i + p) * shape[3] + f * j + q] = value }
                        }
                    }
                }
            }
            g = spread
        }
        if let k = grayscale.coefficients {
            let plane = shape[2] * shape[3]
            var rgb = [Scalar](repeating: 0, count: shape[0] * 3 * plane)
            for b in 0..<shape[0] {
                for i in 0..<plane {
                    let value = g[b * plane + i]
                    rgb[(b * 3) * plane + i] = Scalar(k.r) * value
                    rgb[(b * 3 + 1) * plane + i] = Scalar(k.g) * value
                    rgb[(b * 3 + 2) * plane + i] = Scalar(k.b) * value
                }
            }
            g = rgb
        }
        return Tensor(uncheckedShape: shape, scalars: g)
    }
}
