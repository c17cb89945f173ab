#!/usr/bin/env bash
# Lints every Swift file of the package with `swift format lint --strict` and the settings in
# .swift-format. Prints every finding, then a count per category; exits 1 when a finding is not
# tolerated by Scripts/lint-baseline.txt (with --all: when there is any finding at all).
#
#   Scripts/lint.sh          # what CI runs
#   Scripts/lint.sh --all    # every finding counts, the baseline ignored
set -euo pipefail
cd "$(dirname "$0")/.."

use_baseline=1
case "${1:-}" in
  "") ;;
  --all) use_baseline=0 ;;
  *) echo "usage: Scripts/lint.sh [--all]" >&2; exit 64 ;;
esac

paths=(Sources Tests Benchmarks Examples Fuzz Scripts)
output=$(swift format lint --strict --parallel --recursive "${paths[@]}" 2>&1) && status=0 || status=$?

# Tolerated (glob, category) pairs.
globs=(); categories=()
if [ "$use_baseline" = 1 ]; then
  while IFS=$'\t' read -r glob category; do
    [[ -z "$glob" || "$glob" == \#* ]] && continue
    globs+=("$glob"); categories+=("$category")
  done < Scripts/lint-baseline.txt
fi

failed=0; tolerated=0; other=0
declare -A counts=()
while IFS= read -r line; do
  [ -z "$line" ] && continue
  # path:line:column: warning|error: [Category] message
  if [[ "$line" =~ ^([^:]+):[0-9]+:[0-9]+:\ (warning|error):\ \[([A-Za-z]*)\] ]]; then
    file=${BASH_REMATCH[1]}; category=${BASH_REMATCH[3]}
    known=0
    for i in "${!globs[@]}"; do
      # shellcheck disable=SC2053
      if [[ "$category" == "${categories[$i]}" && "$file" == ${globs[$i]} ]]; then known=1; break; fi
    done
    if [ "$known" = 1 ]; then
      tolerated=$((tolerated + 1)); counts["$category (baseline)"]=$(( ${counts["$category (baseline)"]:-0} + 1 ))
    else
      echo "$line"
      failed=$((failed + 1)); counts["$category"]=$(( ${counts["$category"]:-0} + 1 ))
    fi
  else
    echo "$line"; other=$((other + 1))
  fi
done <<< "$output"

if [ "${#counts[@]}" -gt 0 ]; then
  echo "swift format lint: findings per category:"
  for key in "${!counts[@]}"; do printf '  %6d  %s\n' "${counts[$key]}" "$key"; done | sort -k2
fi
echo "swift format lint: $failed finding(s) to fix, $tolerated tolerated by Scripts/lint-baseline.txt"
# A non-zero status without findings (an unreadable file, a bad .swift-format) is a failure too.
if [ "$failed" -gt 0 ] || { [ "$status" -ne 0 ] && [ "$tolerated" -eq 0 ]; } || [ "$other" -gt 0 ]; then
  exit 1
fi
