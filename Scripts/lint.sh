#!/usr/bin/env bash
# Lints every Swift file of the package with `swift format lint --strict` and the settings in
# .swift-format; exits 1 on any finding. `swift format format --in-place --recursive Sources
# Tests Benchmarks Examples Fuzz Scripts` fixes the layout findings.
#
#   Scripts/lint.sh          # what CI runs
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Sources Tests Benchmarks Examples Fuzz Scripts)
if ! output=$(swift format lint --strict --parallel --recursive "${paths[@]}" 2>&1) || [ -n "$output" ]; then
  echo "$output"
  echo "swift format lint: $(grep -c ': \(warning\|error\): ' <<< "$output" || true) finding(s); run swift format format (see Scripts/lint.sh)" >&2
  exit 1
fi
echo "swift format lint: no finding in ${paths[*]}"
