#!/bin/sh
# hull lint: options, thresholds and exit codes, pragmas, config files, formats, stdin, errors.
. "$(dirname "$0")/lib.sh"
D=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
cd "$TMP" || exit 1

run 0 "$HULL" lint --help
like "$OUT" '^usage: hull lint' "--help prints usage"
like "$OUT" 'failure-threshold' "--help lists --failure-threshold"
run 2 "$HULL" lint
one_line_error "no Dockerfile"
run 2 "$HULL" lint --format xml Dockerfile
one_line_error "unknown format"
run 2 "$HULL" lint -t loud Dockerfile
one_line_error "unknown level"
run 6 "$HULL" lint no-such-Dockerfile
one_line_error "missing file"

# parse errors: exit 3, one line naming FILE:LINE
printf 'FROM a\nENV A=1 B\n' > bad.Dockerfile
run 3 "$HULL" lint bad.Dockerfile
one_line_error "parse error"
like "$ERR" '^hull: bad.Dockerfile:2: ' "parse error names file and line"
: > empty.Dockerfile
run 3 "$HULL" lint empty.Dockerfile
like "$ERR" 'file with no instructions' "empty file is an error"
printf 'FROM a\nRUN <<EOF\necho\n' > heredoc.Dockerfile
run 3 "$HULL" lint heredoc.Dockerfile
like "$ERR" 'heredoc.Dockerfile:2: unterminated heredoc' "unterminated heredoc"

# thresholds: a file whose only finding is DL3059 (info)
printf 'FROM debian:12-slim@%s\nUSER 65532\nRUN true\nRUN false\n' "$D" > info.Dockerfile
run 1 "$HULL" lint --no-shellcheck info.Dockerfile
like "$OUT" '^info.Dockerfile:4:1 DL3059 info: ' "tty line: file:line:col CODE level: message"
is "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" 1 "exactly one finding"
run 0 "$HULL" lint --no-shellcheck -t warning info.Dockerfile
run 1 "$HULL" lint --no-shellcheck --failure-threshold style info.Dockerfile
run 0 "$HULL" lint --no-shellcheck -t none info.Dockerfile
run 0 "$HULL" lint --no-shellcheck --ignore DL3059 info.Dockerfile
is "$OUT" "" "--ignore drops the finding"
run 0 "$HULL" lint --no-shellcheck --failure-threshold error info.Dockerfile
like "$OUT" 'DL3059' "findings below the threshold are still printed"

# pragmas
printf 'FROM debian:12-slim@%s\nUSER 65532\nRUN true\n# hull ignore=DL3059\nRUN false\n' "$D" > p1.Dockerfile
run 0 "$HULL" lint --no-shellcheck p1.Dockerfile
printf 'FROM debian:12-slim@%s\nUSER 65532\nRUN true\n# hadolint ignore=DL3008,DL3059\nRUN false\n' "$D" > p2.Dockerfile
run 0 "$HULL" lint --no-shellcheck p2.Dockerfile
run 1 "$HULL" lint --no-shellcheck --disable-ignore-pragma p2.Dockerfile
printf '# hull global ignore=DL3059\nFROM debian:12-slim@%s\nUSER 65532\nRUN true\nRUN false\n' "$D" > p3.Dockerfile
run 0 "$HULL" lint --no-shellcheck p3.Dockerfile

# config files: .hull.yaml in the working directory, --config, hadolint keys, bad YAML
printf 'failure-threshold: warning\n' > .hull.yaml
run 0 "$HULL" lint --no-shellcheck info.Dockerfile
rm .hull.yaml
printf 'ignored:\n  - DL3059\n' > .hadolint.yaml
run 0 "$HULL" lint --no-shellcheck info.Dockerfile
is "$OUT" "" ".hadolint.yaml ignored list applies"
rm .hadolint.yaml
printf 'override:\n  error: [DL3059]\n' > cfg.yaml
run 1 "$HULL" lint --no-shellcheck -c cfg.yaml -t error info.Dockerfile
like "$OUT" 'DL3059 error' "override raises the level"
printf 'ignored: [DL3059\n' > broken.yaml
run 3 "$HULL" lint -c broken.yaml info.Dockerfile
one_line_error "bad config"
run 6 "$HULL" lint -c missing.yaml info.Dockerfile

# trusted registries (DL3026)
printf 'FROM quay.io/org/app:1@%s\nUSER 65532\n' "$D" > reg.Dockerfile
run 0 "$HULL" lint --no-shellcheck reg.Dockerfile
run 1 "$HULL" lint --no-shellcheck --trusted-registry docker.io --trusted-registry '*.gcr.io' reg.Dockerfile
like "$OUT" 'DL3026 error: image uses registry quay.io' "untrusted registry reported"

# formats
run 1 "$HULL" lint --no-shellcheck -f json info.Dockerfile
is "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sorted(d[0]), d[0]["code"], d[0]["line"])')" \
   "['code', 'column', 'file', 'level', 'line', 'message'] DL3059 4" "json is hadolint's shape"
run 1 "$HULL" lint --no-shellcheck -f sarif info.Dockerfile
is "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); r=d["runs"][0]["results"][0]; print(d["version"], r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"])')" \
   "2.1.0 DL3059 note 4" "sarif 2.1.0, info becomes note"
run 1 "$HULL" lint --no-shellcheck -f checkstyle info.Dockerfile
like "$OUT" '<error line="4" column="1" severity="info" message=".*" source="DL3059"/>' "checkstyle"
run 1 "$HULL" lint --no-shellcheck -f gitlab info.Dockerfile
is "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; print(d["check_name"], d["severity"], d["location"]["lines"]["begin"], len(d["fingerprint"]))')" \
   "DL3059 info 4 64" "gitlab code quality"
run 1 "$HULL" lint --no-shellcheck -f json -o out.json info.Dockerfile
is "$OUT" "" "-o writes to the file"
like "$(cat out.json)" '"DL3059"' "-o file content"

# stdin, several files, --dump, --list-rules
run 1 sh -c "cat info.Dockerfile | '$HULL' lint --no-shellcheck -"
like "$OUT" '^-:4:1 DL3059' "stdin is '-'"
run 3 "$HULL" lint --no-shellcheck info.Dockerfile bad.Dockerfile
like "$OUT" 'info.Dockerfile:4:1 DL3059' "the good file is still reported"
one_line_error "one bad file among several"
run 0 "$HULL" lint --dump info.Dockerfile
is "$OUT" "$(printf '(from "debian:12-slim@%s")\n(user "65532")\n(run "true")\n(run "false")' "$D")" "--dump prints BuildKit's AST"
run 0 "$HULL" lint --list-rules
like "$OUT" '^HU008 +warning +final-stage-root' "--list-rules"

# hostile input: a file that would produce more than 20,000 findings is refused (exit 3)
awk 'BEGIN { print "FROM a"; for (i = 0; i < 21000; i++) print "RUN cd /x" }' > many.Dockerfile
run 3 "$HULL" lint --no-shellcheck many.Dockerfile
one_line_error "too many findings"
like "$ERR" 'many.Dockerfile: more than 20000 findings' "the limit names the file"

# big inputs stay linear: 30,000 stages, a 30,000-line RUN continuation, 30,000 ENV lines
awk 'BEGIN { for (i = 0; i < 30000; i++) printf "FROM a:1@sha256:%064d AS s%d\n", 0, i
             printf "USER 1\nRUN true \\\n"; for (i = 0; i < 30000; i++) print "  && echo " i " \\"
             print "  && true"; for (i = 0; i < 30000; i++) print "ENV A" i "=$A" i }' > big.Dockerfile
run 0 timeout 120 "$HULL" lint --no-shellcheck -t error big.Dockerfile

# ShellCheck on RUN scripts, when installed
if command -v shellcheck >/dev/null 2>&1; then
    printf 'FROM debian:12-slim@%s\nUSER 65532\nRUN echo $undefined_var\n' "$D" > sc.Dockerfile
    run 1 "$HULL" lint sc.Dockerfile
    like "$OUT" 'sc.Dockerfile:3:10 SC2154 warning' "ShellCheck finding mapped to line and column"
    run 0 "$HULL" lint --no-shellcheck sc.Dockerfile
else
    pass "# SKIP shellcheck not on PATH"
fi
done_testing
