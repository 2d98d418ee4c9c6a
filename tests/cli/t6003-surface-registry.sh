#!/bin/sh
# hull surface on registry references: shared images pushed to a local plain-HTTP registry
# (Debian's docker-registry) give the same figures and rating as their OCI layouts, and the
# registry options are accepted (--insecure; without it plain HTTP is refused).
. "$(dirname "$0")/lib.sh"
need_shared
. "$(dirname "$0")/t8-lib.inc"
need_registry_tools
reg_start
for n in alpine-like node-app; do
    reg_push "oci:$SHARED/images/oci/$n:latest" "fixtures/$n:latest"
done
sig() { # the figures that must not depend on the source
    python3 -c 'import json, sys
d = json.load(sys.stdin)["images"][0]
print(d["size"], d["compressed_size"], d["layers"], d["packages"], d["shell_kinds"],
      d["package_manager_binaries"], d["user"], d["exposed_ports"], d["score"], d["rating"])'
}
for n in alpine-like node-app; do
    run 0 "$HULL" surface -q -f json --today 2025-01-01 "oci:$SHARED/images/oci/$n"
    want=$(printf '%s\n' "$OUT" | sig)
    run 0 "$HULL" surface -q -f json --today 2025-01-01 --insecure "$REG_HOST/fixtures/$n:latest"
    is "$(printf '%s\n' "$OUT" | sig)" "$want" "$n from the registry: same figures as the layout"
    like "$OUT" "\"transport\": \"(docker|registry)\"" "$n: registry transport"
done
run 0 "$HULL" surface --today 2025-01-01 --insecure "docker://$REG_HOST/fixtures/alpine-like:latest"
like "$OUT" 'yes \(busybox\) +yes \(apk\) +15 ' "table row for a docker:// reference"
run 4 "$HULL" surface --today 2025-01-01 "$REG_HOST/fixtures/alpine-like:latest"
one_line_error "plain HTTP without --insecure"
run 2 "$HULL" surface --timeout 0 "$REG_HOST/fixtures/alpine-like:latest"
one_line_error "bad --timeout"
done_testing
