#!/usr/bin/env bash
# Fuzzes the image readers (PNG, JPEG, and WebP/AVIF/TIFF/GIF/BMP/PNM together as `images`), the
# .npy and .y4m readers and the ssim command's option parser with libFuzzer.
#
#   Scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]     (default: 60 s each; png jpeg images npy y4m options)
#
# Builds one fuzzer per target with swiftc and clang directly (AddressSanitizer + libFuzzer; no
# SwiftPM, so Package.swift needs no unsafe flags), then runs each on a copy of its seed corpus
# Fuzz/Corpus/TARGET for SECONDS_PER_TARGET seconds, one after the other. Prints the executions
# and the outcome of each target; exits 1 if any crashed, leaked, timed out (10 s for one input)
# or ran out of memory (2 GB), with the input saved under the build folder.
#
# Environment: FUZZ_BUILD_DIR (default .build/fuzz), SWIFTC, CLANG (default: the clang next to
# swiftc), FUZZ_ARGS (extra libFuzzer flags, e.g. "-seed=1").
# Reproduce a saved input: .build/fuzz/fuzz-TARGET FILE (FUZZ_VERBOSE=1 says what the reader did).
set -euo pipefail

seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: $0 [SECONDS_PER_TARGET] [png|jpeg|images|npy|y4m|options ...]" >&2
  exit 2
fi
shift $(( $# > 0 ? 1 : 0 ))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(png jpeg images npy y4m options)
for target in "${targets[@]}"; do
  case $target in png | jpeg | images | npy | y4m | options) ;; *) echo "unknown target '$target'" >&2; exit 2 ;; esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/.build/fuzz}
swiftc=${SWIFTC:-$(command -v swiftc || true)}
[ -n "$swiftc" ] || { echo "fuzz.sh: swiftc not found" >&2; exit 2; }
swift_bin=$(dirname "$(readlink -f "$swiftc")")
# The toolchain's clang matches the sanitizer runtime swiftc links.
clang=${CLANG:-$([ -x "$swift_bin/clang" ] && echo "$swift_bin/clang" || command -v clang || true)}
[ -n "$clang" ] || { echo "fuzz.sh: clang not found (set CLANG)" >&2; exit 2; }
magick_include=$(pkg-config --cflags-only-I GraphicsMagick 2>/dev/null | sed 's/-I//g' || true)
magick_flags=()
for folder in $magick_include; do magick_flags+=(-I "$folder"); done
for header in png.h jpeglib.h webp/decode.h avif/avif.h tiffio.h gif_lib.h lcms2.h libexif/exif-data.h magick/api.h; do
  if ! echo "#include <stdio.h>
#include <sys/types.h>
#include <$header>" | "$clang" "${magick_flags[@]}" -fsyntax-only -x c - 2>/dev/null; then
    echo "fuzz.sh: <$header> not found; install libpng-dev libjpeg62-turbo-dev libwebp-dev libavif-dev libtiff-dev" \
      "libgif-dev liblcms2-dev libexif-dev libgraphicsmagick1-dev" >&2
    exit 2
  fi
done
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && [ -x "$swift_bin/llvm-symbolizer" ]; then
  export ASAN_SYMBOLIZER_PATH=$swift_bin/llvm-symbolizer
fi

# --- Build -------------------------------------------------------------------------------------
echo "== building the fuzzers in $build"
rm -rf "$build/obj" "$build/modules"
mkdir -p "$build/obj" "$build/modules"
src=$root/Sources
# Module maps for the C targets, so that the Swift modules can import them as SwiftPM arranges.
cat > "$build/modules/module.modulemap" <<EOF
module CSSIMKernels { header "$src/CSSIMKernels/include/CSSIMKernels.h" export * }
module CImageCodecs { header "$src/CImageCodecs/include/CImageCodecs.h" export * }
module CInterruptCleanup { header "$src/CInterruptCleanup/include/CInterruptCleanup.h" export * }
EOF
# The C targets also with UndefinedBehaviorSanitizer, trapping (no runtime library to link): any
# undefined behaviour in them is a crash the fuzzer reports.
cflags=(-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fsanitize-trap=undefined)
"$clang" "${cflags[@]}" -I "$src/CSSIMKernels/include" -c "$src/CSSIMKernels/Kernels.c" -o "$build/obj/CSSIMKernels.o"
"$clang" "${cflags[@]}" -I "$src/CSSIMKernels/include" -c "$src/CSSIMKernels/MaskedKernels.c" -o "$build/obj/CSSIMMaskedKernels.o"
codec_objects=()
for file in "$src"/CImageCodecs/*.c; do
  object=$build/obj/CImageCodecs-$(basename "$file" .c).o
  "$clang" "${cflags[@]}" "${magick_flags[@]}" -I "$src/CImageCodecs/include" -c "$file" -o "$object"
  codec_objects+=("$object")
done
"$clang" "${cflags[@]}" -I "$src/CInterruptCleanup/include" -c "$src/CInterruptCleanup/CInterruptCleanup.c" -o "$build/obj/CInterruptCleanup.o"

# Swift 6 language mode, as Package.swift (tools version 6.0) builds them. -O keeps the
# bounds and overflow checks; -sanitize=fuzzer on an object only adds the coverage hooks.
swiftflags=(-swift-version 6 -O -g -sanitize=fuzzer,address -parse-as-library -suppress-warnings
  -I "$build/obj" -I "$build/modules")
swift_module() {  # NAME SOURCE_FOLDER: one object and one .swiftmodule per library module
  local name=$1 folder=$2
  local sources=()
  mapfile -t sources < <(find "$folder" -name '*.swift' | sort)
  "$swiftc" "${swiftflags[@]}" -wmo -module-name "$name" -emit-module \
    -emit-module-path "$build/obj/$name.swiftmodule" -c "${sources[@]}" -o "$build/obj/$name.o"
}
swift_module StructuralSimilarity "$src/StructuralSimilarity"
swift_module SSIMFormats "$src/SSIMFormats"

objects=("$build/obj/StructuralSimilarity.o" "$build/obj/SSIMFormats.o" "$build/obj/CSSIMKernels.o" "$build/obj/CSSIMMaskedKernels.o"
  "${codec_objects[@]}" "$build/obj/CInterruptCleanup.o" -lpng -ljpeg -lexif -lwebpdemux -lwebp -lavif -ltiff -lgif
  -lGraphicsMagick -llcms2)
fuzz=$root/Fuzz/Targets
link_target() {  # TARGET MODULE_NAME SOURCE...
  local target=$1 module=$2
  shift 2
  # ld.gold warns about every ASan helper symbol it cannot export: noise, dropped.
  "$swiftc" "${swiftflags[@]}" -module-name "$module" "$fuzz/Common.swift" "$@" "${objects[@]}" \
    -o "$build/fuzz-$target" 2> >(grep -v "Cannot export local symbol '__asan" >&2)
}
for target in "${targets[@]}"; do
  case $target in
    png) link_target png FuzzPNG "$fuzz/png.swift" "$fuzz/ImageInvariants.swift" ;;
    jpeg) link_target jpeg FuzzJPEG "$fuzz/jpeg.swift" "$fuzz/ImageInvariants.swift" ;;
    images) link_target images FuzzImages "$fuzz/images.swift" "$fuzz/ImageInvariants.swift" ;;
    npy) link_target npy FuzzNPY "$fuzz/npy.swift" ;;
    # FFmpegSSIM.swift is internal to the executable: compiled here beside the target.
    y4m) link_target y4m FuzzY4M "$fuzz/y4m.swift" "$src/ssim/FFmpegSSIM.swift" ;;
    # Options.swift is internal to the executable: compiled here with what it uses, not main.swift.
    options) link_target options ssim "$fuzz/options.swift" "$src/ssim/Options.swift" \
      "$src/ssim/OutputPaths.swift" "$src/ssim/CommandError.swift" "$src/ssim/ImageSettings.swift" ;;
  esac
  [ -x "$build/fuzz-$target" ] || { echo "fuzz.sh: building fuzz-$target failed" >&2; exit 2; }
done

# --- Run ---------------------------------------------------------------------------------------
# libFuzzer first runs every seed (a seed that fails is reported like any other input), then mutates.
failed=0
summary=()
for target in "${targets[@]}"; do
  corpus=$build/corpus/$target
  artifacts=$build/artifacts/$target
  log=$build/$target.log
  rm -rf "$corpus" "$artifacts"
  mkdir -p "$corpus" "$artifacts"
  cp "$root/Fuzz/Corpus/$target/"* "$corpus/"
  echo "== fuzzing $target for ${seconds}s (log: $log)"
  status=0
  # shellcheck disable=SC2086  # FUZZ_ARGS is a list of flags
  "$build/fuzz-$target" "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -dict="$root/Fuzz/Dictionaries/$target.dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
    ${FUZZ_ARGS:-} > "$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
  inputs=$(find "$corpus" -type f | wc -l)
  found=$(find "$artifacts" -type f | sort | tr '\n' ' ')
  if [ "$status" -eq 0 ] && [ -z "$found" ]; then
    outcome="nothing found"
  else
    failed=1
    outcome="FOUND (exit $status): ${found:-no input saved; see the log}"
    grep -m1 -E '^==[0-9]+==ERROR|^SUMMARY|Fatal error|ERROR: libFuzzer' "$log" | sed 's/^/    /' || true
    tail -n 40 "$log" | sed 's/^/    | /'
  fi
  summary+=("$(printf '%-8s %10s executions  %4s corpus inputs  %s' "$target" "$runs" "$inputs" "$outcome")")
done

echo "== fuzz summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
exit "$failed"
