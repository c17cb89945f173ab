# Sourced by the kernel-clones scripts: sets `clang` (CLANG, else the clang next to swiftc, which
# is the one on PATH here) and `out`, a temporary folder removed on exit. $1: the caller's name,
# for the error message.
swift_bin=$(dirname "$(command -v swiftc 2>/dev/null || echo /nonexistent/swiftc)")
clang=${CLANG:-$([ -x "$swift_bin/clang" ] && echo "$swift_bin/clang" || command -v clang || true)}
[ -n "$clang" ] || { echo "$1: clang not found (set CLANG)" >&2; exit 2; }
out=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
trap 'rm -rf "$out"' EXIT
