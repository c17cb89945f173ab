import Foundation
import StructuralSimilarity
import Testing

@testable import SSIMFormats

@Suite struct AlphaHandlingTests {
    /// One RGB row of two pixels, the first opaque, the second half transparent.
    static let image = DecodedImage(
        tensor: try! Tensor(shape: [1, 3, 1, 2], scalars: [0.2, 0.8, 0.4, 0.6, 1, 0]), format: .png, bitDepth: 8,
        droppedAlpha: true, alpha: try! Tensor(shape: [1, 1, 1, 2], scalars: [1, 0.5]))

    @Test func compositeBlendsOverTheBackground() throws {
        let white = try AlphaHandling.default.apply(to: Self.image)
        #expect(white.scalars == [0.2, 0.9, 0.4, 0.8, 1, 0.5])
        let colour = try AlphaHandling.composite(over: [0, 0.5, 1]).apply(to: Self.image)
        #expect(colour.scalars == [0.2, 0.4, 0.4, 0.55, 1, 0.5])
    }

    @Test func dropAndChannel() throws {
        #expect(try AlphaHandling.drop.apply(to: Self.image) == Self.image.tensor)
        let channel = try AlphaHandling.channel.apply(to: Self.image)
        #expect(channel.shape == [1, 4, 1, 2] && channel.scalars.suffix(2) == [1, 0.5])
        var opaque = Self.image
        (opaque.alpha, opaque.droppedAlpha) = (nil, false)
        #expect(try AlphaHandling.channel.apply(to: opaque).scalars.suffix(2) == [1, 1])
        #expect(try AlphaHandling.default.apply(to: opaque) == opaque.tensor)
    }

    @Test func greyOverAColourBecomesRGB() throws {
        let grey = DecodedImage(
            tensor: try Tensor(shape: [1, 1, 1, 1], scalars: [0.5]), format: .png, bitDepth: 8, droppedAlpha: true,
            alpha: try Tensor(shape: [1, 1, 1, 1], scalars: [0]))
        #expect(try AlphaHandling.composite(over: [1, 0, 0]).apply(to: grey).scalars == [1, 0, 0])
        #expect(try AlphaHandling.composite(over: [0.25]).apply(to: grey).scalars == [0.25])
        #expect(formatError { _ = try AlphaHandling.composite(over: [1, 0]).apply(to: Self.image) } != nil)
    }

    /// A PNG's tRNS becomes alpha: palette entries and the transparent grey value.
    @Test func transparencyChunksBecomeAlpha() throws {
        let palette = try ImageFile.read(Fixtures.path("palette4-trns.png"))
        #expect(palette.alpha.map { Set($0.scalars) } == [0, Float(128) / 255, 1])
        let grey = try ImageFile.read(Fixtures.path("grey8-trns.png"))
        let transparent = zip(grey.tensor.scalars, grey.alpha!.scalars).filter { $0.1 == 0 }.map(\.0)
        #expect(!transparent.isEmpty && transparent.allSatisfy { $0 == Float(37) / 255 })
    }
}
