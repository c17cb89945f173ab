#!/usr/bin/env bash
# Reproduces the Swift 6.3.1 bug that keeps user code from differentiating the public (throwing)
# SSIM functions with respect to BOTH images at once, even in a release build (README,
# "Automatic differentiation"). With respect to one image at a time it works in release.
#
# It builds, in a temporary package that depends on this one, a 6-line program calling
# `valueWithPullback(at: x, y) { a, b in try ssimLoss(a, b, windowSize: 3) }` and runs it.
# Swift 6.3.1, Linux x86-64: the compiler crashes (signal 11 in the SIL pass DestroyHoisting);
# slight variants of the same program crash the compiler elsewhere ("Found ownership error?!" in
# CopyPropagation, for `gradient(at: x, y) { a, b in try ssimLoss(a, b, ...).scalar }`) or
# compile and crash at run time (a bad pointer in swift_release). A 40-line standalone program
# of the same structure did not reproduce it: it takes the generic, cross-module library.
#
#   Scripts/autodiff-both-images-repro.sh      # prints "fixed" or "still broken"
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Sources/repro"
cat > "$work/Package.swift" <<SWIFT
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "repro", dependencies: [.package(path: "$repo")],
    targets: [.executableTarget(name: "repro", dependencies: [.product(name: "StructuralSimilarity", package: "$(basename "$repo")")])])
SWIFT
cat > "$work/Sources/repro/main.swift" <<'SWIFT'
import StructuralSimilarity
import _Differentiation
let x = try Tensor<Double>(shape: [1, 1, 8, 8], scalars: (0..<64).map { Double($0 % 7) / 7 })
let y = try Tensor<Double>(shape: [1, 1, 8, 8], scalars: (0..<64).map { Double($0 % 5) / 5 })
let (_, pullback) = try valueWithPullback(at: x, y) { a, b in try ssimLoss(a, b, windowSize: 3) }
let (g1, _) = pullback(Tensor(1.0))
let (_, reference) = try ssimLossWithGradient(x, y, windowSize: 3)
print(zip(g1.scalars, reference.scalars).allSatisfy { abs($0 - $1) <= 1e-12 } ? "fixed" : "still broken: wrong gradient")
SWIFT
cd "$work"
if ! swift build -c release >build.log 2>&1; then
  echo "still broken: the build failed:"; grep -E "error:|While running" build.log | head -5; exit 1
fi
.build/release/repro 2>/dev/null || { echo "still broken: the program crashed"; exit 1; }
