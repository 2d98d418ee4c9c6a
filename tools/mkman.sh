#!/bin/sh
# Generate docs/hull.1 from the binary's own --help texts, so the man page never drifts from
# the program. tests/cli/t0001-man.sh fails when docs/hull.1 is stale.
#   sh tools/mkman.sh build/hull > docs/hull.1
set -eu
hull=${1:-build/hull}
esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/" -e 's/^-/\\-/' ; }
ver=$("$hull" --version | sed 's/^hull //')
cat <<EOF2
.TH HULL 1 "" "hull $ver" "User Commands"
.SH NAME
hull \- container image security: inventory, vulnerabilities, attack surface, Dockerfile lint,
digest pinning
.SH SYNOPSIS
.B hull
.RB [ \-q | \-\-quiet ]
.RB [ \-d | \-\-debug ]
.RB [ \-\-no\-color ]
.I COMMAND
.RI [ ARGS ]
.br
.B hull \-\-version
|
.B \-\-help
.SH DESCRIPTION
hull reads container images (docker save archives, OCI layouts, root filesystems, registries,
a Docker-compatible engine), verifies every blob against its digest, applies the layers exactly
(whiteouts, opaque directories, links inside the image root only), lists every OS and language
package with the layer that brought it, matches them against a local vulnerability database
built from upstream feeds, rates the image's attack surface, lints Dockerfiles and pins image
references by digest.
.PP
Every command prints its options with
.BR "hull COMMAND \-\-help" ;
the texts are repeated below.
.SH COMMANDS
EOF2
"$hull" --help | sed -n '/^commands:/,/^$/p' | sed '1d;/^$/d' | while read -r cmd _; do
    printf '.SS "hull %s"\n.nf\n' "$cmd"
    "$hull" "$cmd" --help 2>&1 | esc
    printf '.fi\n'
done
cat <<'EOF2'
.SH EXIT STATUS
.TP
.B 0
success; nothing at or above a requested gate
.TP
.B 1
a gate tripped: \-\-exit\-code, lint \-\-failure\-threshold, pin \-\-check, surface \-\-fail\-on
.TP
.B 2
usage error: unknown command or option, bad argument
.TP
.B 3
bad, tampered, oversized or unsafe input (digest mismatch, corrupt archive, path escape)
.TP
.B 4
network or registry error, authentication
.TP
.B 5
vulnerability database missing, corrupt or too old
.TP
.B 6
file or image not found, permission or I/O error
.TP
.B 7
valid input that hull does not support
.TP
.B 8
out of memory or internal error
.PP
A failing command prints exactly one line on standard error, starting with "hull:".
.SH ENVIRONMENT
.TP
.B NO_COLOR
when set and not empty, no colour in any output.
.TP
.B HULL_DB
the vulnerability database file (default
.IR $XDG_CACHE_HOME/hull/db.sqlite ,
else
.IR ~/.cache/hull/db.sqlite ).
.TP
.B DOCKER_CONFIG
directory of the registry credentials file
.I config.json
(default
.IR ~/.docker ).
.TP
.B DOCKER_HOST
the engine socket for
.B docker\-daemon:
images (default
.IR unix:///var/run/docker.sock ).
.TP
.B SSL_CERT_FILE
extra CA certificates for registries.
.TP
.B HULL_TODAY
the date (YYYY\-MM\-DD) end-of-life dates are compared with.
.TP
.BR http_proxy ", " https_proxy ", " no_proxy
proxies for database updates and registries.
.SH FILES
.TP
.I .hullignore
vulnerability ids to ignore, one per line, optionally with a package and an expiry date.
.TP
.IR .hull.yaml ", " .hadolint.yaml
lint configuration.
.SH SEE ALSO
The project's docs/ directory: docs/json/*.md (JSON schemas), docs/lint\-rules.md,
docs/surface.md, docs/vulndb.md, docs/design/*.md.
EOF2
