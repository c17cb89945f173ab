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

        // Private C glue over the system libpng and libjpeg-turbo (their error recovery uses setjmp).
        .target(name: "CImageCodecs", dependencies: ["CLibPNG", "CLibJPEG"]),
        // The system libraries, found with pkg-config (`brew install libpng jpeg-turbo` on a Mac).
        .systemLibrary(
            name: "CLibPNG", pkgConfig: "libpng",
            providers: [.brew(["libpng"]), .apt(["libpng-dev"])]),
        .systemLibrary(
            name: "CLibJPEG", pkgConfig: "libjpeg",
            providers: [.brew(["jpeg-turbo"]), .apt(["libjpeg62-turbo-dev"])]),
        // Removes the temporary files of interrupted writes (a signal handler, so C).
        .target(name: "CInterruptCleanup"),
        // PNG, JPEG and .npy reading and writing; heat-map colouring.
        .target(name: "SSIMFormats", dependencies: ["StructuralSimilarity", "CImageCodecs", "CInterruptCleanup"]),

        // Image regression tests: expectSimilar (Swift Testing) and assertSimilar (XCTest).
        .target(name: "SSIMTesting", dependencies: ["StructuralSimilarity", "SSIMFormats"]),

        // The command-line tool.
        .executableTarget(name: "ssim", dependencies: ["StructuralSimilarity", "SSIMFormats"]),

        // Seeded random tensors for the tests and the benchmark (not a product).
        .target(name: "SSIMTestSupport", dependencies: ["StructuralSimilarity"]),

        // Benchmarks and examples: release executables, not tests.
        .executableTarget(
            name: "ssim-benchmark", dependencies: ["StructuralSimilarity", "SSIMFormats", "SSIMTestSupport"],
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
