#!/bin/sh
# hull lint: the label schema from the command line (--require-label, --strict-labels) and from
# hadolint's environment (HADOLINT_REQUIRE_LABELS, HADOLINT_STRICT_LABELS); precedence command
# line > environment > config file; bad formats are usage errors.
. "$(dirname "$0")/lib.sh"
D=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
cd "$TMP" || exit 1
unset HADOLINT_REQUIRE_LABELS HADOLINT_STRICT_LABELS
L="$HULL lint --no-shellcheck"

# clean without a schema: the label rules are off
printf 'FROM debian:12-slim@%s\nUSER 65532\nLABEL source="not a url" extra=1\n' "$D" > l.Dockerfile
run 0 $L l.Dockerfile
is "$OUT" "" "no schema: no label findings"

run 0 $L --help
like "$OUT" '--require-label L:FMT' "--help lists --require-label"
like "$OUT" '--strict-labels' "--help lists --strict-labels"
like "$OUT" 'HADOLINT_REQUIRE_LABELS' "--help names the environment"

# --require-label: a missing label (DL3049), a wrong format (DL3052 url)
run 1 $L --require-label maintainer:email l.Dockerfile
like "$OUT" '^l.Dockerfile:1:1 DL3049 info: Label `maintainer` is missing' "DL3049 for a missing label"
is "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" 1 "only DL3049 (no strict, no DL3050)"
run 1 $L --require-label source:url l.Dockerfile
like "$OUT" '^l.Dockerfile:3:1 DL3052 warning: Label `source` is not a valid URL' "DL3052 for a non-URL"
unlike "$OUT" 'DL3050' "no DL3050 without --strict-labels"
run 0 $L --require-label source:text l.Dockerfile
is "$OUT" "" "text accepts any value"
run 1 $L --require-label source:text --require-label ver:semver l.Dockerfile
like "$OUT" 'DL3049 info: Label `ver` is missing' "--require-label repeats"

# --strict-labels: DL3050 for the extra label
run 1 $L --require-label source:text --strict-labels l.Dockerfile
like "$OUT" '^l.Dockerfile:3:1 DL3050 info: ' "--strict-labels reports the extra label"
printf 'FROM debian:12-slim@%s\nUSER 65532\nLABEL source="https://example.com/x"\n' "$D" > ok.Dockerfile
run 0 $L --require-label source:url --strict-labels ok.Dockerfile
is "$OUT" "" "a conforming file is clean under --strict-labels"

# the environment
run 1 env HADOLINT_REQUIRE_LABELS=maintainer:email $L l.Dockerfile
like "$OUT" 'DL3049 info: Label `maintainer` is missing' "HADOLINT_REQUIRE_LABELS requires a label"
run 1 env HADOLINT_REQUIRE_LABELS='source:url, maintainer:text,' $L l.Dockerfile
like "$OUT" 'DL3052 warning: Label `source`' "HADOLINT_REQUIRE_LABELS: a list, the url format"
like "$OUT" 'DL3049 info: Label `maintainer`' "HADOLINT_REQUIRE_LABELS: second entry"
run 1 env HADOLINT_REQUIRE_LABELS=source:text HADOLINT_STRICT_LABELS=true $L l.Dockerfile
like "$OUT" 'DL3050 info: ' "HADOLINT_STRICT_LABELS=true reports the extra label"
run 1 env HADOLINT_REQUIRE_LABELS=source:text HADOLINT_STRICT_LABELS=Yes $L l.Dockerfile
like "$OUT" 'DL3050 info: ' "HADOLINT_STRICT_LABELS takes hadolint's truthy words"
run 0 env HADOLINT_REQUIRE_LABELS=source:text HADOLINT_STRICT_LABELS=false $L l.Dockerfile
is "$OUT" "" "HADOLINT_STRICT_LABELS=false"

# precedence: command line > environment > config file
printf 'strict-labels: true\nlabel-schema:\n  source: url\n' > labels.yaml
run 1 $L -c labels.yaml l.Dockerfile
like "$OUT" 'DL3052' "config label-schema applies"
like "$OUT" 'DL3050' "config strict-labels applies"
run 0 env HADOLINT_REQUIRE_LABELS=source:text HADOLINT_STRICT_LABELS=false $L -c labels.yaml l.Dockerfile
is "$OUT" "" "the environment wins over the config file"
run 1 env HADOLINT_REQUIRE_LABELS=source:text $L -c labels.yaml --require-label source:url l.Dockerfile
like "$OUT" 'DL3052' "the command line wins over the environment (format)"
run 1 env HADOLINT_REQUIRE_LABELS=source:text HADOLINT_STRICT_LABELS=false $L --strict-labels l.Dockerfile
like "$OUT" 'DL3050' "the command line wins over the environment (strict)"
run 1 env HADOLINT_REQUIRE_LABELS=maintainer:email $L -c labels.yaml l.Dockerfile
like "$OUT" 'DL3049 info: Label `maintainer`' "schemas add up: environment label"
like "$OUT" 'DL3052' "schemas add up: config label"

# bad formats: usage error, one line
run 2 $L --require-label source:uri l.Dockerfile
one_line_error "unknown format"
like "$ERR" "^hull lint: --require-label wants LABEL:FORMAT.*got 'source:uri'" "names option and value"
run 2 $L --require-label source l.Dockerfile
one_line_error "no format"
run 2 $L --require-label :url l.Dockerfile
one_line_error "no label"
run 2 $L --require-label
one_line_error "no argument"
run 2 env HADOLINT_REQUIRE_LABELS=a:url,b:bogus $L l.Dockerfile
one_line_error "bad format in the environment"
like "$ERR" "HADOLINT_REQUIRE_LABELS wants LABEL:FORMAT.*got 'b:bogus'" "names the variable"
done_testing
