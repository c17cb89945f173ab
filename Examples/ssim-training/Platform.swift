// The C library of this example, in one place: `@_exported` makes it visible in every file of the
// module (a plain import is file-scoped). Glibc: Linux with glibc; Musl: the static Linux SDK;
// Darwin: macOS and iOS; Android: Bionic (Swift 6's Android SDK); ucrt: Windows. Only the Glibc
// branch is compiled here (Linux x86-64); the others are unverified from this machine.
#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Musl)
@_exported import Musl
#elseif canImport(Darwin)
@_exported import Darwin
#elseif canImport(Android)
@_exported import Android
#elseif canImport(ucrt)
@_exported import ucrt
#else
#error("ssim-training: no C library module (Glibc, Musl, Darwin, Android or ucrt) for this platform")
#endif
