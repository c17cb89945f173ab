// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-ssim",
    products: [
        .library(name: "StructuralSimilarity", targets: ["StructuralSimilarity"]),
        .library(name: "SSIMFormats", targets: ["SSIMFormats"]),
        .library(name: "SSIMTesting", targets: ["SSIMTesting"]),
        .executable(name: "ssim", targets: ["ssim"]),
    ],
    targets: [
        // The numerics: SSIM map, losses, gradients. No I/O.
        .target(name: "StructuralSimilarity", dependencies: ["CSSIMKernels"]),
        // The filters' inner loops, compiled for baseline x86-64 and for AVX2/AVX-512 with FMA,
        // chosen at run time (clang's target_clones): no compiler flag needed by users.
        .target(name: "CSSIMKernels"),

        // Private C glue over the system image libraries (libpng's and libjpeg's error recovery
        // uses setjmp; the others return codes), one file per library.
        .target(
            name: "CImageCodecs",
            dependencies: [
                "CLibPNG", "CLibJPEG", "CLibEXIF", "CLibWebP", "CLibAVIF", "CLibTIFF", "CGIFLib", "CGraphicsMagick",
                "CLittleCMS",
            ]),
        // The system libraries, found with pkg-config (Documentation/Platforms.md: why these, and
        // `brew install` / `apt-get install` lines).
        .systemLibrary(
            name: "CLibPNG", pkgConfig: "libpng",
            providers: [.brew(["libpng"]), .apt(["libpng-dev"])]),
        .systemLibrary(
            name: "CLibJPEG", pkgConfig: "libjpeg",
            providers: [.brew(["jpeg-turbo"]), .apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(
            name: "CLibEXIF", pkgConfig: "libexif",
            providers: [.brew(["libexif"]), .apt(["libexif-dev"])]),
        .systemLibrary(
            name: "CLibWebP", pkgConfig: "libwebpdemux",
            providers: [.brew(["webp"]), .apt(["libwebp-dev"])]),
        .systemLibrary(
            name: "CLibAVIF", pkgConfig: "libavif",
            providers: [.brew(["libavif"]), .apt(["libavif-dev"])]),
        .systemLibrary(
            name: "CLibTIFF", pkgConfig: "libtiff-4",
            providers: [.brew(["libtiff"]), .apt(["libtiff-dev"])]),
        .systemLibrary(
            name: "CGIFLib", pkgConfig: "libgif",
            providers: [.brew(["giflib"]), .apt(["libgif-dev"])]),
        .systemLibrary(
            name: "CGraphicsMagick", pkgConfig: "GraphicsMagick",
            providers: [.brew(["graphicsmagick"]), .apt(["libgraphicsmagick1-dev"])]),
        .systemLibrary(
            name: "CLittleCMS", pkgConfig: "lcms2",
            providers: [.brew(["little-cms2"]), .apt(["liblcms2-dev"])]),
        // Removes the temporary files of interrupted writes (a signal handler, so C).
        .target(name: "CInterruptCleanup"),
        // Image reading (PNG, JPEG, WebP, AVIF, TIFF, GIF, BMP, PNM), PNG/JPEG writing, .npy, heat-maps.
        .target(name: "SSIMFormats", dependencies: ["StructuralSimilarity", "CImageCodecs", "CInterruptCleanup"]),

        // Image regression tests: expectSimilar (Swift Testing) and assertSimilar (XCTest).
        .target(name: "SSIMTesting", dependencies: ["StructuralSimilarity", "SSIMFormats"]),

        // The allocator keeping freed memory for the folder mode's next pair (mallopt, so C).
        .target(name: "CFreedMemory"),
        // The command-line tool.
        .executableTarget(name: "ssim", dependencies: ["StructuralSimilarity", "SSIMFormats", "CFreedMemory"]),

        // Seeded random tensors for the tests and the benchmark (not a product).
        .target(name: "SSIMTestSupport", dependencies: ["StructuralSimilarity"]),

        // Benchmarks and examples: release executables, not tests.
        .executableTarget(
            name: "ssim-benchmark", dependencies: ["StructuralSimilarity", "SSIMTestSupport"],
            path: "Benchmarks/ssim-benchmark"),
        .executableTarget(
            name: "ssim-testing-benchmark", dependencies: ["SSIMTesting", "SSIMFormats", "StructuralSimilarity"],
            path: "Benchmarks/ssim-testing-benchmark"),
        .executableTarget(
            name: "ssim-training", dependencies: ["StructuralSimilarity"],
            path: "Examples/ssim-training"),

        .testTarget(
            name: "StructuralSimilarityTests", dependencies: ["StructuralSimilarity", "SSIMTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "SSIMFormatsTests", dependencies: ["SSIMFormats", "SSIMTestSupport"], resources: [.copy("Fixtures")]),
        // Fixtures/video: clips, stills and ffmpeg's numbers (Scripts/make_video_fixtures.py), read by path.
        .testTarget(name: "ssimTests", dependencies: ["SSIMFormats", "StructuralSimilarity"], exclude: ["Fixtures"]),
        .testTarget(name: "SSIMTestingTests", dependencies: ["SSIMTesting", "SSIMFormats", "StructuralSimilarity"],
                    exclude: ["__References__"]),
        // The intended use of SSIMTesting, in a dozen lines.
        .testTarget(name: "SSIMTestingExample", dependencies: ["SSIMTesting", "SSIMFormats"],
                    path: "Examples/SSIMTestingExample", exclude: ["__References__"]),
    ]
)
