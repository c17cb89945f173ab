#!/usr/bin/env bash
# Type-checks every ```swift example of the documentation against the package's modules: the
# README, Benchmarks/README.md, Tests/README.md, Documentation/, the DocC catalogues and the `///`
# doc comments of Sources/ (see Scripts/doc_examples.py for the rules, the free names the examples
# may use, and the `<!-- no-check -->` marker that skips a markdown block).
# Prints each failing example with its file and line; exits 1 if any fails.
#
#   Scripts/check-doc-examples.sh [--skip-build]
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build
if [ "${1:-}" != "--skip-build" ]; then
  # A debug build: its modules allow `@testable import`, for the examples of internal declarations.
  swift build --scratch-path "$scratch" --target SSIMTestSupport >/dev/null
  swift build --scratch-path "$scratch" --target SSIMFormats >/dev/null
  swift build --scratch-path "$scratch" --target SSIMTesting >/dev/null
fi
modules="$scratch/debug/Modules"
[ -d "$modules" ] || { echo "no $modules: run without --skip-build" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 Scripts/doc_examples.py generate "$work"

flags=(-typecheck -swift-version 6 -diagnostic-style llvm -I "$modules" -module-cache-path "$scratch/doc-examples-module-cache")
for map in "$scratch"/debug/*.build/module.modulemap; do flags+=(-Xcc "-fmodule-map-file=$map"); done
status=0
swiftc "${flags[@]}" -module-name DocExamples "$work/public.swift" >"$work/public.log" 2>&1 || status=1
swiftc "${flags[@]}" -module-name DocExamplesInternal "$work/internal.swift" >"$work/internal.log" 2>&1 || status=1
cat "$work/public.log" "$work/internal.log" >"$work/diagnostics.log"
python3 Scripts/doc_examples.py report "$work/examples.json" "$work/diagnostics.log" || status=1
if [ "$status" -ne 0 ] && ! grep -q ': error: ' "$work/diagnostics.log"; then
  cat "$work/diagnostics.log"   # swiftc failed without an error line: show why
fi
exit "$status"
