#!/usr/bin/env bash
# What a Linux x86-64 machine can check of the other platforms (see Documentation/Platforms.md):
#
#   1. lint: every import of a C library module (Glibc, Musl, Darwin, ucrt, Android, ...) sits
#      in a chain with the other platforms' branches (canImport of Glibc, Musl, Darwin, Android
#      and ucrt), no `os(Linux)` stands for `import Glibc` (musl is Linux without Glibc), and
#      glibc-only spellings (RUSAGE_SELF.rawValue) stay under canImport(Glibc).
#   2. the C targets compiled with -Wall -Wextra -Werror (-O2 and -O0): the kernels for aarch64
#      Linux, Android and musl, arm64 and x86-64 macOS, arm64 iOS, aarch64 and x86-64 Windows
#      (objects: Kernels.c needs only the compiler's <stddef.h>), with the vector widths each
#      gets; the interrupt cleanup and the folder mode's allocator policy (CFreedMemory) for
#      aarch64 Linux and, where MinGW-w64's headers are installed, their Windows branches.
#   3. the kernel check (Tests/KernelClones) built for aarch64 Linux and run under qemu-aarch64:
#      -O2 generic, -mcpu=apple-m1, -mcpu=neoverse-v1, and -O0 with trapping UBSan; and the check
#      refusing to build where long double is only double (macOS, MSVC), simulated with
#      -mlong-double-64.
#   4. the codec glue (Sources/CImageCodecs) against Debian's arm64 libpng and libjpeg-turbo
#      (fetched with apt-get download into .build/cross-check, no multiarch needed), run under
#      qemu: the same decodes, encodes and error messages as the x86-64 build, byte for byte.
#   5. the whole package built and tested with _Differentiation hidden (a copy of the sources in
#      which canImport(_Differentiation) is false), as Xcode's toolchains have it.
#
#   Scripts/cross-check.sh [--no-swift] [--only N[,N...]]
#
# Exits 1 if any step fails (2 if a tool is missing); --no-swift skips step 5, --only runs the
# steps listed. Environment: CLANG, CROSS_CHECK_JOBS (qemu runs at once, default 2).
#
# Needs (Debian 12): libc6-dev-arm64-cross libgcc-12-dev-arm64-cross qemu-user, optionally
# mingw-w64-x86-64-dev; .ci/run installs them. The clang next to swiftc (Scripts/kernel-clang.sh)
# has the AArch64 backend and ld.lld. Nothing here compiles Swift for another target: no Swift
# SDK for one is available (see Documentation/Platforms.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/Scripts/kernel-clang.sh" cross-check.sh
steps=",1,2,3,4,5,"
while [ $# -gt 0 ]; do
  case $1 in
    --no-swift) steps=${steps/,5,/,} ;;
    --only) [ $# -ge 2 ] || { echo "usage: $0 [--no-swift] [--only N[,N...]]" >&2; exit 2; }; steps=",$2,"; shift ;;
    *) echo "usage: $0 [--no-swift] [--only N[,N...]]" >&2; exit 2 ;;
  esac
  shift
done
wanted() { [[ $steps == *",$1,"* ]]; }
jobs=${CROSS_CHECK_JOBS:-2}
cd "$root"
work=$root/.build/cross-check
mkdir -p "$work"
started=$SECONDS
failed=()
step() { echo; echo "== cross-check: $* ($((SECONDS - started)) s)"; }
failure() { echo "cross-check FAILED: $*" >&2; failed+=("$*"); }

for tool in qemu-aarch64 dpkg; do
  command -v "$tool" >/dev/null || { echo "cross-check.sh: $tool not found (apt-get install qemu-user)" >&2; exit 2; }
done
[ -f /usr/aarch64-linux-gnu/include/stdio.h ] && ls /usr/lib/gcc-cross/aarch64-linux-gnu/*/libgcc.a >/dev/null 2>&1 || {
  echo "cross-check.sh: no aarch64 C library (apt-get install libc6-dev-arm64-cross libgcc-12-dev-arm64-cross)" >&2
  exit 2
}
warnings=(-std=c11 -Wall -Wextra -Werror)
kernels=(-ISources/CSSIMKernels/include Sources/CSSIMKernels/Kernels.c)
masked=(-ISources/CSSIMKernels/include Sources/CSSIMKernels/MaskedKernels.c)
aarch64=(--target=aarch64-linux-gnu -fuse-ld=lld)
export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu

# --- 1. lint -----------------------------------------------------------------------------------
if wanted 1; then
step "1. lint: C library imports"
# Known, owned elsewhere: problems in these folders are reported, not failed (none today).
known=()
lint_file() {  # prints "file:line: problem" lines
  awk -v file="$1" '
    function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
    { line = trim($0) }
    match(line, /^#(if|elseif)[ \t]/) {
      condition = line
      while (match(condition, /canImport\([A-Za-z_]+\)/)) {
        name = substr(condition, RSTART + 10, RLENGTH - 11); can[name] = 1
        condition = substr(condition, RSTART + RLENGTH)
      }
      lastCondition = line; lastConditionLine = NR
    }
    line ~ /^(@_exported[ \t]+)?((public|package|internal|fileprivate|private)[ \t]+)?import[ \t]+(Glibc|Musl|Darwin|ucrt|Android|Bionic|WASILibc|CRT)([ \t]|$)/ {
      n = split(line, words, /[ \t]+/); module = words[n]
      imports[module] = NR
      if (lastConditionLine != NR - 1 || lastCondition !~ ("canImport\\(" module "\\)"))
        printf "%s:%d: import %s not under #if/#elseif canImport(%s) (e.g. os(Linux), which musl also is)\n", file, NR, module, module
    }
    line ~ /RUSAGE_SELF\.rawValue|RLIMIT_[A-Z]+\.rawValue|SOCK_(STREAM|DGRAM)\.rawValue/ && prev !~ /canImport\(Glibc\)/ {
      printf "%s:%d: a glibc-only spelling (an enum there, an Int32 macro elsewhere) outside #if canImport(Glibc)\n", file, NR
    }
    { if (line != "") prev = line }
    END {
      any = 0; for (m in imports) any = 1
      if (!any) exit
      split("Glibc Musl Darwin Android ucrt", wanted, " ")
      missing = ""
      for (i = 1; i <= 5; i++) if (!(wanted[i] in can)) missing = missing " " wanted[i]
      if (missing != "") printf "%s:1: imports a C library without the branches for:%s\n", file, missing
    }' "$1"
}
lint_failed=0
known_seen=()
while IFS= read -r file; do
  problems=$(lint_file "$file")
  [ -n "$problems" ] || continue
  is_known=0
  for k in "${known[@]}"; do [[ $file == "$k"* ]] && is_known=1 && known_seen+=("$k"); done
  if [ $is_known -eq 1 ]; then
    echo "$problems" | sed 's/^/known (not failed): /'
  else
    echo "$problems"; lint_failed=1
  fi
done < <(find Sources Tests Examples Benchmarks Fuzz -name '*.swift' | sort)
for k in "${known[@]}"; do
  [[ " ${known_seen[*]} " == *" $k "* ]] || echo "note: nothing to report under $k any more: remove it from the known list"
done
[ $lint_failed -eq 0 ] && echo "lint: no new problem" || failure "lint"
fi

# --- 2. C targets for the other platforms -------------------------------------------------------
if wanted 2; then
step "2. the C targets compiled for other platforms (-Werror)"
widths() {  # TARGET [FLAGS...]: the VECTOR_BYTES and FILTER4_VECTOR_BYTES the kernels get
  "$clang" --target="$1" "${@:2}" -O2 -dM -E "${kernels[@]}" 2>/dev/null |
    awk '$2 == "VECTOR_BYTES" || $2 == "FILTER4_VECTOR_BYTES" || $2 == "SSIM_CLONES" {
           print $2 "=" ($3 ~ /^[0-9]+$/ ? $3 : $3 == "VECTOR_BYTES" ? "VECTOR_BYTES" : "per-processor") }' |
    sort | tr '\n' ' ' | sed 's/^/ /; s/ $//'
}
# (musl: the same code as linux-gnu, and no musl sysroot here for <stddef.h>'s include_next.)
for target in aarch64-linux-gnu aarch64-linux-android24 arm64-apple-macos13 \
              x86_64-apple-macos13 arm64-apple-ios16 aarch64-pc-windows-msvc x86_64-pc-windows-msvc; do
  ok=1
  for opt in -O2 -O0; do
    "$clang" --target="$target" "$opt" "${warnings[@]}" -c "${kernels[@]}" -o "$work/kernels-$target$opt.o" || ok=0
    "$clang" --target="$target" "$opt" "${warnings[@]}" -c "${masked[@]}" -o "$work/masked-$target$opt.o" || ok=0
  done
  if [ $ok -eq 1 ]; then echo "Kernels.c and MaskedKernels.c for $target: ok,$(widths "$target")"; else failure "Kernels.c or MaskedKernels.c for $target"; fi
done
# The vector widths AArch64 must get (16-byte NEON shuffles, ssim_filter4 at 32: see Kernels.c).
for target in aarch64-linux-gnu arm64-apple-macos13 aarch64-pc-windows-msvc; do
  [ "$(widths "$target")" = " FILTER4_VECTOR_BYTES=32 VECTOR_BYTES=16" ] || failure "vector widths for $target:$(widths "$target")"
done
"$clang" --target=aarch64-linux-gnu -O2 "${warnings[@]}" -D_POSIX_C_SOURCE=200809L -ISources/CInterruptCleanup/include \
  -c Sources/CInterruptCleanup/CInterruptCleanup.c -o "$work/interrupt-aarch64.o" &&
  echo "CInterruptCleanup.c for aarch64-linux-gnu: ok" || failure "CInterruptCleanup.c for aarch64-linux-gnu"
if [ -d /usr/x86_64-w64-mingw32/include ]; then
  "$clang" --target=x86_64-w64-mingw32 --sysroot=/usr/x86_64-w64-mingw32 -O2 "${warnings[@]}" -ISources/CInterruptCleanup/include \
    -c Sources/CInterruptCleanup/CInterruptCleanup.c -o "$work/interrupt-windows.o" &&
    echo "CInterruptCleanup.c for x86_64-w64-mingw32 (the _WIN32 branch, MinGW-w64's headers): ok" ||
    failure "CInterruptCleanup.c for Windows (MinGW-w64 headers)"
else
  echo "CInterruptCleanup.c for Windows: skipped (no MinGW-w64 headers: apt-get install mingw-w64-x86-64-dev)"
fi
# The allocator policy of the folder mode: glibc's mallopt on aarch64 Linux, nothing elsewhere.
"$clang" --target=aarch64-linux-gnu -O2 "${warnings[@]}" -ISources/CFreedMemory/include \
  -c Sources/CFreedMemory/CFreedMemory.c -o "$work/freed-memory-aarch64.o" &&
  echo "CFreedMemory.c for aarch64-linux-gnu: ok" || failure "CFreedMemory.c for aarch64-linux-gnu"
if [ -d /usr/x86_64-w64-mingw32/include ]; then
  "$clang" --target=x86_64-w64-mingw32 --sysroot=/usr/x86_64-w64-mingw32 -O2 "${warnings[@]}" -ISources/CFreedMemory/include \
    -c Sources/CFreedMemory/CFreedMemory.c -o "$work/freed-memory-windows.o" &&
    echo "CFreedMemory.c for x86_64-w64-mingw32: ok" || failure "CFreedMemory.c for Windows (MinGW-w64 headers)"
fi
fi

# --- 3. the kernel check on aarch64 under qemu ---------------------------------------------------
if wanted 3; then
step "3. the kernel check for aarch64 under qemu"
check=(-std=c11 -D_POSIX_C_SOURCE=200112L -Wall -Wextra -Werror -DSSIM_NO_CLONES "${kernels[@]}"
  Sources/CSSIMKernels/MaskedKernels.c Tests/KernelClones/check_kernels.c -lm)
variants=("-O2" "-O2 -mcpu=apple-m1" "-O2 -mcpu=neoverse-v1" "-O0 -g -fsanitize=undefined -fsanitize-trap=all")
names=()
for variant in "${variants[@]}"; do
  name=check-aarch64$(echo "$variant" | tr -c 'a-zA-Z0-9=\n-' _)
  names+=("$name")
  rm -f "$work/$name" "$work/$name.log" "$work/$name.status"
  # shellcheck disable=SC2086 # the variant's flags are words
  "$clang" "${aarch64[@]}" $variant "${check[@]}" -o "$work/$name" || failure "building the kernel check for aarch64, $variant"
done
# Each run takes 1.5-2 minutes under qemu (long double is binary128 in software): $jobs at once.
for name in "${names[@]}"; do
  [ -x "$work/$name" ] && echo "$name"
done | xargs -r -P "$jobs" -I{} sh -c 'qemu-aarch64 "$1/$2" > "$1/$2.log" 2>&1; echo $? > "$1/$2.status"' sh "$work" {}
for i in "${!variants[@]}"; do
  name=${names[$i]}
  [ -x "$work/$name" ] || continue
  echo "(aarch64, ${variants[$i]}:)"
  cat "$work/$name.log"
  [ "$(cat "$work/$name.status" 2>/dev/null)" = 0 ] || failure "kernel check on aarch64, ${variants[$i]}"
done
# Where long double is double (macOS, MSVC) the check must refuse to build, not run with a
# reference as coarse as the kernels (which failed 77,347 checks, for no fault of the kernels).
if "$clang" -O2 -mlong-double-64 "${check[@]}" -o "$work/check-long-double-64" 2>"$work/long-double-64.log"; then
  failure "the kernel check built with a 64-bit long double (it must stop with #error)"
elif grep -q "needs a long double wider than double" "$work/long-double-64.log"; then
  echo "with -mlong-double-64 (long double = double, as on macOS and MSVC): refused with its #error, as it must"
else
  cat "$work/long-double-64.log" >&2; failure "the kernel check with -mlong-double-64 failed for another reason"
fi
fi

# --- 4. the codec glue on aarch64 ----------------------------------------------------------------
if wanted 4; then
step "4. the codec glue on aarch64 (Debian's arm64 image libraries) vs x86-64"
arm64_root=$work/arm64-root
if [ ! -f "$arm64_root/usr/include/png.h" ] || [ ! -f "$arm64_root/usr/include/aarch64-linux-gnu/jconfig.h" ] \
   || [ ! -f "$arm64_root/usr/include/libexif/exif-data.h" ] || [ ! -f "$arm64_root/usr/include/webp/demux.h" ] \
   || [ ! -f "$arm64_root/usr/include/gif_lib.h" ] || [ ! -f "$arm64_root/usr/include/lcms2.h" ] \
   || [ ! -f "$arm64_root/usr/include/aarch64-linux-gnu/tiffconf.h" ]; then
  rm -rf "$work/apt" "$arm64_root"
  mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/apt/debs" "$arm64_root"
  apt_options=(-o APT::Architecture=arm64 -o APT::Architectures=arm64 -o Dir::State::Lists="$work/apt/lists"
    -o Dir::Cache="$work/apt/cache" -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  if apt-get -qq "${apt_options[@]}" update &&
     (cd "$work/apt/debs" && apt-get -qq "${apt_options[@]}" download libpng-dev libpng16-16 libjpeg62-turbo-dev \
       libjpeg62-turbo zlib1g zlib1g-dev libexif-dev libexif12 libwebp-dev libwebp7 libwebpdemux2 libwebpmux3 \
       libgif-dev libgif7 liblcms2-dev liblcms2-2 libtiff-dev libtiff6 libdeflate0 libjbig0 liblerc4 liblzma5 \
       libzstd1 libstdc++6 libgcc-s1); then
    for deb in "$work/apt/debs"/*.deb; do dpkg -x "$deb" "$arm64_root"; done
  else
    failure "downloading Debian's arm64 image libraries"
  fi
fi
rm -f "$work/codec-x86_64" "$work/codec-aarch64" "$work/codec-x86_64.txt" "$work/codec-aarch64.txt"
images=(Tests/SSIMFormatsTests/Fixtures/*.png Fuzz/Corpus/png/*.png Fuzz/Corpus/jpeg/*.jpg
  Tests/SSIMFormatsTests/Fixtures/formats/*.{webp,gif,tif,png,jpg})
# The PNG, JPEG (with libexif), WebP, GIF, TIFF and LittleCMS glue runs on both; the AVIF and
# GraphicsMagick glue is only compiled here, for x86-64 with -Werror (their arm64 packages and
# their many dependencies, dav1d, aom, libyuv, ..., are not downloaded: not cross-checked).
for file in Sources/CImageCodecs/{AVIF,Magick}.c; do
  "$clang" -O2 -std=gnu11 -Wall -Wextra -Werror -fsyntax-only -ISources/CImageCodecs/include \
    $(pkg-config --cflags-only-I GraphicsMagick) "$file" || failure "compiling $file with -Werror"
done
codec=(-O2 -std=gnu11 -Wall -Wextra -Werror -ISources/CImageCodecs/include Sources/CImageCodecs/CImageCodecs.c
  Sources/CImageCodecs/{Support,WebP,GIF,TIFF,ColorProfile}.c Tests/CrossCheck/codec_probe.c)
codec_libraries=(-lpng -ljpeg -lexif -lwebpdemux -lwebp -lgif -ltiff -llcms2 -lm)
if "$clang" "${codec[@]}" "${codec_libraries[@]}" -o "$work/codec-x86_64" &&
   "$clang" "${aarch64[@]}" -isystem "$arm64_root/usr/include" -isystem "$arm64_root/usr/include/aarch64-linux-gnu" \
     "${codec[@]}" -L"$arm64_root/usr/lib/aarch64-linux-gnu" -Wl,-rpath-link,"$arm64_root/lib/aarch64-linux-gnu" \
     -Wl,-rpath-link,"$arm64_root/usr/lib/aarch64-linux-gnu" "${codec_libraries[@]}" -o "$work/codec-aarch64"; then
  "$work/codec-x86_64" "${images[@]}" > "$work/codec-x86_64.txt"
  LD_LIBRARY_PATH="$arm64_root/usr/lib/aarch64-linux-gnu:$arm64_root/lib/aarch64-linux-gnu" \
    qemu-aarch64 "$work/codec-aarch64" "${images[@]}" > "$work/codec-aarch64.txt" || failure "the codec probe on aarch64"
  if cmp -s "$work/codec-x86_64.txt" "$work/codec-aarch64.txt"; then
    echo "${#images[@]} files: decodes, encodes and errors identical on aarch64 and x86-64 ($(wc -l < "$work/codec-aarch64.txt") lines)"
  else
    diff "$work/codec-x86_64.txt" "$work/codec-aarch64.txt" | head -20; failure "codec output differs on aarch64"
  fi
else
  failure "building the codec probe"
fi
fi

# --- 5. without _Differentiation -----------------------------------------------------------------
if wanted 5; then
  step "5. the package without _Differentiation (as Xcode's toolchains)"
  copy=$work/no-differentiation
  mkdir -p "$copy"
  # The working tree as it is (tracked and untracked files, not ignored ones), refreshed in place
  # so that the copy's own .build keeps its incremental state.
  rm -rf "$copy/src.new" && mkdir -p "$copy/src.new"
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
    [ -f "$f" ] && { mkdir -p "$copy/src.new/$(dirname "$f")"; cp -p "$f" "$copy/src.new/$f"; }
  done
  grep -rlZ 'canImport(_Differentiation)' "$copy/src.new" | xargs -0 -r sed -i 's/canImport(_Differentiation)/canImport(_Differentiation_hidden)/g'
  mkdir -p "$copy/src"
  # Only changed files are replaced (mtimes kept otherwise), and removed files removed.
  (cd "$copy/src.new" && find . -type f) | while IFS= read -r f; do
    cmp -s "$copy/src.new/$f" "$copy/src/$f" || { mkdir -p "$copy/src/$(dirname "$f")"; cp -p "$copy/src.new/$f" "$copy/src/$f"; }
  done
  (cd "$copy/src" && find . -path ./.build -prune -o -type f -print) | while IFS= read -r f; do
    [ -f "$copy/src.new/$f" ] || rm -f "$copy/src/$f"
  done
  rm -rf "$copy/src.new"
  if grep -rq 'canImport(_Differentiation)' "$copy/src" --include='*.swift'; then failure "hiding _Differentiation"; fi
  if (cd "$copy/src" && swift build --build-tests --scratch-path "$copy/build" && swift test --skip-build --scratch-path "$copy/build"); then
    echo "without _Differentiation: built and tested"
  else
    failure "the package without _Differentiation"
  fi
fi

echo
echo "== cross-check: done in $((SECONDS - started)) s"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'cross-check.sh: FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "cross-check.sh: all steps passed"
