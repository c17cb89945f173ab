#!/usr/bin/env bash
# Times the vertical and horizontal filter kernels of each target_clones clone (AVX-512, AVX2,
# SSE2) on the headline case's rows (Benchmarks/KernelClones/bench_kernels.c): the loader only
# ever runs the best clone a processor has, so this is how a machine with AVX-512 measures what
# machines without it get. Each clone runs with VECTOR_BYTES fixed to its own width. Best of 5,
# milliseconds for one core's half of 4 x 3 x 1024 x 1024.
#
#   Scripts/bench-kernel-clones.sh            this tree's kernels
#   Scripts/bench-kernel-clones.sh REV        and, below them, the kernels of git revision REV
#
# Environment: CLANG (default: the clang next to swiftc).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/Scripts/kernel-clang.sh" bench-kernel-clones.sh
clones=("arch_x86-64-v4.0:64" "arch_x86-64-v3.1:32" "default.2:16")
grep -qw avx512f /proc/cpuinfo || clones=("${clones[@]:1}")

run() {   # run LABEL KERNELS.c
  echo "$1"
  for entry in "${clones[@]}"; do
    clone=${entry%%:*} bytes=${entry##*:}
    "$clang" -O2 -std=c11 -D_POSIX_C_SOURCE=200112L -DCLONE="\"$clone\"" -DSSIM_VECTOR_BYTES="$bytes" \
      -I"$root/Sources/CSSIMKernels/include" -I"$root/Sources/CSSIMKernels" "$2" "$root/Benchmarks/KernelClones/bench_kernels.c" -lm -o "$out/bench"
    "$out/bench"
  done
}
run "this tree:" "$root/Sources/CSSIMKernels/Kernels.c"
if [ $# -ge 1 ]; then
  git -C "$root" show "$1:Sources/CSSIMKernels/Kernels.c" > "$out/Kernels-$1.c"
  # (a revision's own Clones.h, where it has one, beside its Kernels.c)
  git -C "$root" show "$1:Sources/CSSIMKernels/Clones.h" > "$out/Clones.h" 2>/dev/null || rm -f "$out/Clones.h"
  run "revision $1:" "$out/Kernels-$1.c"
fi
