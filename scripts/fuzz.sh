#!/bin/sh
# Build every fuzz/fuzz-*.c with clang + libFuzzer + ASan/UBSan into build-fuzz/ and run each
# for SECONDS over a copy of its corpus (new inputs land in build-fuzz/corpus/NAME).
#   sh scripts/fuzz.sh [SECONDS] [NAME...]
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}; [ $# -gt 0 ] && shift
command -v clang >/dev/null || { echo "fuzz: clang missing: apt-get install clang libclang-rt-14-dev" >&2; exit 1; }
out=build-fuzz
mkdir -p "$out"
flags="-g -O1 -std=gnu11 -fsanitize=fuzzer-no-link,address,undefined -Iinclude -Ilib -I$out/gen"
[ -f build/gen/commands.inc ] || make -s build/gen/commands.inc >/dev/null
pkgs="jansson libarchive zlib libzstd libcurl libcrypto sqlite3 libxml-2.0 yaml-0.1"
if pkg-config --exists libisal; then pkgs="$pkgs libisal"; flags="$flags -DHAVE_ISAL=1"; fi
# shellcheck disable=SC2046
objs=""
for src in lib/*.c lib/*/*.c; do
    o="$out/$(echo "$src" | tr / _).o"
    if [ ! -f "$o" ] || [ "$src" -nt "$o" ]; then
        # shellcheck disable=SC2086
        clang $flags $(pkg-config --cflags $pkgs) -c "$src" -o "$o"
    fi
    objs="$objs $o"
done
names="$*"
[ -n "$names" ] || names=$(ls fuzz/fuzz-*.c | sed 's|fuzz/fuzz-||; s|\.c$||')
for n in $names; do
    # shellcheck disable=SC2086
    clang -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -Iinclude -Ilib \
        "fuzz/fuzz-$n.c" $objs $(pkg-config --libs $pkgs) -lm -lpthread -o "$out/fuzz-$n"
    mkdir -p "$out/corpus/$n"
    [ -d "fuzz/corpus/$n" ] && cp -n "fuzz/corpus/$n"/* "$out/corpus/$n/" 2>/dev/null || true
    echo "== fuzz-$n for ${secs}s"
    "$out/fuzz-$n" -max_total_time="$secs" -max_len=65536 "$out/corpus/$n"
done
