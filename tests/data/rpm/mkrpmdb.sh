#!/bin/sh
# Build a real rpm >= 4.16 SQLite database with Debian's rpm tools: rpmbuild three tiny
# packages (one with an epoch, one noarch, one with files in two directories) and install
# them with --justdb into a private dbpath. Prints the path of rpmdb.sqlite.
#   sh tests/data/rpm/mkrpmdb.sh WORKDIR
set -eu
w=$1
mkdir -p "$w/top" "$w/db"
mk() { # name version release epoch arch license
    spec="$w/$1.spec"
    {
        echo "Name: $1"
        echo "Version: $2"
        echo "Release: $3"
        [ -n "$4" ] && echo "Epoch: $4"
        echo "Summary: hull test package $1"
        echo "License: $6"
        echo "BuildArch: $5"
        echo "%description"
        echo "hull test package"
        echo "%install"
        echo "mkdir -p %{buildroot}/usr/bin %{buildroot}/etc/$1"
        echo "echo $1 > %{buildroot}/usr/bin/$1"
        echo "echo conf > %{buildroot}/etc/$1/$1.conf"
        echo "%files"
        echo "/usr/bin/$1"
        echo "/etc/$1/$1.conf"
    } > "$spec"
    rpmbuild --quiet --define "_topdir $w/top" --define "_build_id_links none" \
        --define "__os_install_post %{nil}" --define "_binary_payload w.ufdio" \
        -bb "$spec" >/dev/null 2>&1
}
mk hello-tool 1.2.3 4.fc39 "" x86_64 "MIT"
mk epoch-lib 2.0 1.fc39 3 x86_64 "GPL-2.0-or-later AND LGPL-2.1-only"
mk noarch-data 0.9 2.fc39 "" noarch "CC0-1.0"
rpm --dbpath "$w/db" --initdb >/dev/null 2>&1 || true
rpm --dbpath "$w/db" --justdb --nodeps --noscripts --ignorearch --ignoreos -i \
    "$w"/top/RPMS/*/*.rpm >/dev/null 2>&1
db="$w/db/rpmdb.sqlite"
[ -s "$db" ] || { echo "mkrpmdb: rpm did not write $db" >&2; exit 1; }
echo "$db"
