#!/bin/sh
# hull surface command line: --help, usage errors (one line, exit 2), the table (one row per
# image in argument order, then reasons and advice), -o FILE, --fail-on gating (exit 1),
# unreadable and tampered images (one-line errors, exit 6 / 3), and no colour escapes when
# stdout is not a terminal.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 missing"; exit 0; }
MK="python3 $TOP/tests/tools/mkimage.py"
F=$TMP/fx
mkdir -p "$F"
cat > "$F/min.json" <<'JSON'
{"config": {"User": "65532"},
 "layers": [{"files": {"etc/os-release": "ID=debian\nVERSION_ID=\"12\"\n", "app": "x"}}]}
JSON
cat > "$F/fat.json" <<'JSON'
{"config": {"ExposedPorts": {"80/tcp": {}, "443/tcp": {}}},
 "layers": [{"files": {"etc/os-release": "ID=alpine\nVERSION_ID=3.20.1\n",
   "bin/busybox": {"data": "bb", "mode": 493}, "bin/sh": {"symlink": "busybox"},
   "sbin/apk": {"data": "apk", "mode": 493}, "usr/bin/gcc": {"data": "g", "mode": 493}}}]}
JSON
$MK "$F/min.json" "$F/min"
$MK "$F/fat.json" "$F/fat"
$MK "$F/min.json" "$F/bad" --tamper layer-digest

run 0 "$HULL" surface --help
like "$OUT" '^usage: hull surface \[options\] IMAGE\.\.\.' "--help prints usage"
like "$OUT" 'High from 6 points' "--help states the rating rule"
run 2 "$HULL" surface
one_line_error "missing IMAGE"
run 2 "$HULL" surface --format xml "$F/min"
one_line_error "unknown format"
run 2 "$HULL" surface --today 2025-02-30 "$F/min"
one_line_error "impossible date"
run 2 "$HULL" surface --fail-on severe "$F/min"
one_line_error "unknown rating"
run 2 "$HULL" surface --bogus "$F/min"
one_line_error "unknown option"
run 2 "$HULL" surface "$F/min" --today
one_line_error "option without its value"
run 2 env HULL_TODAY=yesterday "$HULL" surface "$F/min"
one_line_error "bad HULL_TODAY"

run 0 "$HULL" surface --today 2025-06-01 "$F/min" "$F/fat"
like "$(printf '%s\n' "$OUT" | sed -n 1p)" \
    '^IMAGE +SIZE +SHELL\? +PKG MANAGER\? +PACKAGES +BUILD TOOLS +USER +ATTACK SURFACE$' \
    "table header is the lesson's columns"
like "$(printf '%s\n' "$OUT" | sed -n 2p)" '^min:latest +[0-9.]+ kB +no +no +0 +no +65532 +Low$' \
    "first row: the minimal image, Low"
like "$(printf '%s\n' "$OUT" | sed -n 3p)" \
    '^fat:latest .* yes \(busybox\) +yes \(apk\) +0 +yes \(gcc\) +root +High$' "second row: High"
like "$OUT" 'fat:latest: High \(score 7\)' "per-image heading with the score"
like "$OUT" '\+2  build tools left in the image: gcc' "reason with its points"
like "$OUT" 'multi-stage build' "advice: multi-stage build for build tools"
like "$OUT" 'exposed ports: 443/tcp, 80/tcp' "exposed ports listed"
like "$OUT" 'end of life 2026-04-01' "alpine 3.20 EOL date"
unlike "$OUT" "$(printf '\033')" "no colour escapes when stdout is not a terminal"

run 0 "$HULL" surface -q -o "$F/out.json" -f json --today 2025-06-01 "$F/min"
is "$OUT" "" "-o: nothing on stdout"
got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(d["schema_version"], len(d["images"]), d["images"][0]["rating"])' "$F/out.json")
is "$got" "1 1 Low" "-o FILE holds the JSON document"

run 1 "$HULL" surface -q --fail-on medium --today 2025-06-01 "$F/min" "$F/fat"
like "$OUT" 'High' "--fail-on still prints the report"
run 0 "$HULL" surface -q --fail-on medium --today 2025-06-01 "$F/min"
run 0 "$HULL" surface -q --fail-on high --today 2025-06-01 "$F/min"

run 6 "$HULL" surface "$F/does-not-exist"
one_line_error "missing image"
run 3 "$HULL" surface "$F/bad"
one_line_error "tampered layer"
like "$ERR" 'digest' "the error names the digest mismatch"

# Deterministic: the same input gives byte-identical output.
run 0 "$HULL" surface -f json --today 2025-06-01 "$F/fat" "$F/min"
a=$OUT
run 0 "$HULL" surface -f json --today 2025-06-01 "$F/fat" "$F/min"
is "$OUT" "$a" "same input, same JSON"
done_testing
