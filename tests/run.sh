#!/bin/sh
# Run every test of the given build directories in one prove run, so there is one summary.
#   tests/run.sh build [build-asan]
# Unit tests: BUILD/tests/unit/t-*; fuzz replays: BUILD/fuzz/replay-NAME over fuzz/corpus/NAME;
# CLI tests: tests/cli/t*.sh run with HULL=BUILD/hull. Extra prove options: PROVE_OPTS.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
list=""
for b in "$@"; do
    case "$b" in /*) ;; *) b="$top/$b" ;; esac
    w="$b/t"
    rm -rf "$w"
    mkdir -p "$w"
    for t in "$b"/tests/unit/t-*; do
        case "$t" in *.d|*.o) continue ;; esac
        [ -x "$t" ] && list="$list $t"
    done
    for r in "$b"/fuzz/replay-*; do
        [ -x "$r" ] || continue
        n=${r##*/replay-}
        printf '#!/bin/sh\nexec "%s" "%s/fuzz/corpus/%s"\n' "$r" "$top" "$n" > "$w/fuzz-$n.t"
        chmod +x "$w/fuzz-$n.t"
        list="$list $w/fuzz-$n.t"
    done
    for s in tests/cli/t*.sh; do
        [ -f "$s" ] || continue
        n=$(basename "$s" .sh)
        printf '#!/bin/sh\nHULL="%s/hull" HULL_BUILD="%s" exec sh "%s/%s"\n' \
            "$b" "$b" "$top" "$s" > "$w/cli-$n.t"
        chmod +x "$w/cli-$n.t"
        list="$list $w/cli-$n.t"
    done
done
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# shellcheck disable=SC2086
exec prove -j"${PROVE_JOBS:-2}" ${PROVE_OPTS:-} $list
