#!/bin/sh
# hull lint over ../shared/data/dockerfiles: --dump equals BuildKit's oracle dump (every 8th
# file through the CLI; tests/unit/t-lint-parse.c compares all of them in-process), linting the
# whole corpus never fails, and the files BuildKit rejects fail with one line naming FILE:LINE.
. "$(dirname "$0")/lib.sh"
C=$SHARED/data/dockerfiles
if [ ! -d "$C/oracle" ]; then echo "1..0 # SKIP ../shared not present ($C)"; exit 0; fi
n=0; bad=0; k=0
for f in "$C"/*.Dockerfile; do
    n=$((n + 1))
    [ $((n % 8)) -eq 1 ] || continue
    k=$((k + 1))
    b=$(basename "$f")
    if ! "$HULL" lint --dump "$f" > "$TMP/dump" 2>"$TMP/err" || ! cmp -s "$TMP/dump" "$C/oracle/$b.dump"; then
        bad=$((bad + 1)); diag "dump differs: $b"
    fi
done
diag "corpus: $n files, $((k - bad)) of $k sampled dumps equal BuildKit's oracle"
is "$bad" 0 "every sampled --dump equals the oracle"
ok "$([ "$n" -ge 378 ]; echo $?)" "the corpus has at least 378 files ($n)"
set +e
"$HULL" lint --no-shellcheck -f json "$C"/*.Dockerfile > "$TMP/all.json" 2>"$TMP/err"
rc=$?
ok "$([ "$rc" -le 1 ]; echo $?)" "linting the corpus exits 0 or 1 (got $rc)"
is "$(python3 -c 'import json,sys; print(type(json.load(open(sys.argv[1]))).__name__)' "$TMP/all.json")" list "corpus report is one JSON array"
for f in "$C"/invalid/*.Dockerfile; do
    run 3 "$HULL" lint "$f"
    one_line_error "$(basename "$f")"
    like "$ERR" "^hull: .*\\.Dockerfile:[0-9]+: " "names FILE:LINE"
done
done_testing
