#!/bin/sh
# Install the Debian 12 packages hull needs to build and test. Idempotent; run as root.
# Only packages that are missing are installed, so a second run costs one dpkg-query.
set -eu
PKGS="build-essential pkg-config libjansson-dev libarchive-dev libisal-dev zlib1g-dev
libzstd-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev libxml2-dev libyaml-dev libcmocka-dev perl
zstd gzip bzip2 xz-utils tar python3 rpm sqlite3 curl
skopeo docker-registry apache2-utils openssl shellcheck podman
dpkg lz4 openjdk-17-jdk-headless libmaven3-core-java ruby python3-packaging golang-go
golang-golang-x-mod-dev time"
[ "${HULL_DEPS_EXTRA:-}" ] && PKGS="$PKGS $HULL_DEPS_EXTRA"
# Node.js and npm (test-time validators and reference implementations) only when no node is on
# PATH: a machine with another Node.js build keeps it.
command -v npm >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
missing=""
for p in $PKGS; do
    s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$s" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing Debian packages:$missing (run as root, or install them)" >&2
    exit 1
fi
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
