#!/bin/sh
# hull's own Dockerfile (multi-stage, distroless runtime, non-root, pinned by digest) passes
# `hull lint` with no findings at all, ShellCheck included when it is installed.
. "$(dirname "$0")/lib.sh"
run 0 "$HULL" lint --failure-threshold style "$TOP/Dockerfile"
is "$OUT" "" "no findings"
run 0 "$HULL" lint --dump "$TOP/Dockerfile"
like "$OUT" '^\(from "debian:12-slim@sha256:[0-9a-f]{64}" "AS" "build"\)' "builder pinned by digest"
like "$OUT" '\(from "gcr.io/distroless/cc-debian12:nonroot@sha256:[0-9a-f]{64}" "AS" "runtime"\)' "distroless runtime pinned by digest"
like "$OUT" '\(user "65532:65532"\)' "non-root user"
done_testing
