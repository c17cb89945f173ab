#!/usr/bin/env bash
# Runs the C kernels' check (Tests/KernelClones/check_kernels.c) on each instruction set the
# kernels are cloned for: Sources/CSSIMKernels/Kernels.c compiles every kernel three times
# (clang's target_clones: x86-64-v4 = AVX-512, x86-64-v3 = AVX2 + FMA, default = SSE2) and the
# loader runs only the best one the processor has, so the test suite never runs the others.
# Here each is built alone (-DSSIM_NO_CLONES with -march=x86-64, x86-64-v3 and, where the
# processor has AVX-512, x86-64-v4), and once more at -O0 under AddressSanitizer and
# UndefinedBehaviorSanitizer (baseline arch) to catch reads past the documented padding.
#
#   Scripts/check-kernel-clones.sh          (exits 1 if any check fails)
#
# Environment: CLANG (default: the clang next to swiftc, which is the one on PATH here).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/Scripts/kernel-clang.sh" check-kernel-clones.sh
sources=("$root/Sources/CSSIMKernels/Kernels.c" "$root/Sources/CSSIMKernels/MaskedKernels.c" "$root/Tests/KernelClones/check_kernels.c")
flags=(-std=c11 -D_POSIX_C_SOURCE=200112L -Wall -Wextra -Werror -DSSIM_NO_CLONES -I"$root/Sources/CSSIMKernels/include")

archs=(x86-64 x86-64-v3)
if grep -qw avx512f /proc/cpuinfo; then
  archs+=(x86-64-v4)
else
  echo "check-kernel-clones.sh: skipped x86-64-v4 (this processor has no AVX-512)"
fi
status=0
for arch in "${archs[@]}"; do
  "$clang" -O2 -march="$arch" "${flags[@]}" "${sources[@]}" -lm -o "$out/check-$arch"
  "$out/check-$arch" || status=1
done
# lld: ld.gold warns about every ASan helper symbol it cannot export.
"$clang" -O0 -g -march=x86-64 -fsanitize=address,undefined -fno-sanitize-recover=all -fuse-ld=lld \
  "${flags[@]}" "${sources[@]}" -lm -o "$out/check-sanitized"
echo "(AddressSanitizer + UndefinedBehaviorSanitizer, -O0:)"
"$out/check-sanitized" || status=1
[ $status -eq 0 ] || echo "check-kernel-clones.sh: FAILED" >&2
exit $status
