#!/usr/bin/env bash
# Converts the DocC catalogues of StructuralSimilarity, SSIMFormats and SSIMTesting with the toolchain's
# `docc`, warnings as errors: every ``symbol`` link and <doc:article> link must resolve.
# About 5 s after a debug build. The archives go to .build/docc/ (open them with `docc preview`
# instead, to read the documentation).
#
#   Scripts/check-docc.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build
swift build --scratch-path "$scratch" --target SSIMFormats >/dev/null   # builds StructuralSimilarity too
swift build --scratch-path "$scratch" --target SSIMTesting >/dev/null
triple=$(swiftc -print-target-info | python3 -c 'import json, sys; print(json.load(sys.stdin)["target"]["triple"])')
flags=(-target "$triple" -I "$scratch/debug/Modules" -minimum-access-level public
       -module-cache-path "$scratch/docc/module-cache")
for map in "$scratch"/debug/*.build/module.modulemap; do flags+=(-Xcc "-fmodule-map-file=$map"); done
status=0
for module in StructuralSimilarity SSIMFormats SSIMTesting; do
  dir="$scratch/docc/$module-symbols"
  rm -rf "$dir" && mkdir -p "$dir"
  swift-symbolgraph-extract -module-name "$module" "${flags[@]}" -output-dir "$dir"
  if docc convert "Sources/$module/Documentation.docc" --additional-symbol-graph-dir "$dir" \
       --fallback-display-name "$module" --fallback-bundle-identifier "$module" \
       --output-path "$scratch/docc/$module.doccarchive" --warnings-as-errors >"$scratch/docc/$module.log" 2>&1; then
    echo "DocC: $module converts without warnings"
  else
    cat "$scratch/docc/$module.log"; echo "DocC: $module has warnings (above)"; status=1
  fi
done
exit "$status"
