#!/bin/sh
# Build a small root filesystem with one package database of every kind hull reads, plus
# broken ones, for `hull sbom dir:ROOT` tests:
#   dpkg status (+ info list), apk installed, npm node_modules (scoped, nested, duplicate,
#   broken, cyclic symlinks; a lockfile-only project), Python dist-info and egg-info, two rpm sqlite dbs (when
#   rpmbuild exists; one with un-checkpointed changes in its -wal), and an unsupported
#   BerkeleyDB rpm Packages file.
#   sh tests/data/mkrootfs.sh ROOT
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
r=$1
d=$top/tests/data
mkdir -p "$r/etc" "$r/var/lib/dpkg/info" "$r/lib/apk/db" "$r/var/lib/rpm" \
    "$r/usr/lib/python3/dist-packages/six-1.16.0.dist-info" \
    "$r/usr/local/lib/python3.11/site-packages"
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' \
    > "$r/etc/os-release"
echo 12.4 > "$r/etc/debian_version"
cp "$d/dpkg/status-mixed" "$r/var/lib/dpkg/status"
cp "$d/dpkg/libc6_amd64.list" "$r/var/lib/dpkg/info/libc6:amd64.list"
cp "$d/apk/installed" "$r/lib/apk/db/installed"
nm=$r/app/node_modules
mkdir -p "$nm/ms" "$nm/@scope/pkg" "$nm/a/node_modules/ms" "$nm/b/node_modules/ms" "$nm/broken"
echo '{"name":"app","version":"1.0.0"}' > "$r/app/package.json"
echo '{"name":"ms","version":"2.1.3","license":"MIT"}' > "$nm/ms/package.json"
echo '{"name":"@scope/pkg","version":"1.0.0+build.1"}' > "$nm/@scope/pkg/package.json"
echo '{"name":"ms","version":"2.0.0"}' > "$nm/a/node_modules/ms/package.json"
echo '{"name":"ms","version":"2.0.0"}' > "$nm/b/node_modules/ms/package.json"
echo '{"name":"a","version":"1.0.0"}' > "$nm/a/package.json"
echo '{"name":"b","version":"1.0.0"}' > "$nm/b/package.json"
printf '{"name": "broken", "vers' > "$nm/broken/package.json"
# a source project with a lockfile and nothing installed (counts for dir: scans)
mkdir -p "$r/srv/api"
cp "$d/npm/package-lock-v1.json" "$r/srv/api/package-lock.json"
# cyclic links: a package dir linking back up, and two links pointing at each other
ln -s .. "$nm/a/node_modules/loop"
ln -s loop2 "$nm/loop1"
ln -s loop1 "$nm/loop2"
printf 'Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\nLicense: MIT\n\nbody\n' \
    > "$r/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA"
printf 'Metadata-Version: 1.1\nName: Old_Egg\nVersion: 0.1\n' \
    > "$r/usr/local/lib/python3.11/site-packages/Old_Egg-0.1.egg-info"
# a BerkeleyDB hash file header (magic 0x00061561): not supported, must be reported
printf '\000\000\000\000\001\000\000\000\000\000\000\000\141\025\006\000' > "$r/var/lib/rpm/Packages"
if command -v rpmbuild >/dev/null 2>&1; then
    mkdir -p "$r/usr/lib/sysimage/rpm"
    db=$(sh "$d/rpm/mkrpmdb.sh" "$r.rpmwork")
    cp "$db" "$r/usr/lib/sysimage/rpm/rpmdb.sqlite"
    # a second database whose last change (a new package "hello-wall") is only in its
    # write-ahead log: copied while the writer is open, so nothing was checkpointed
    python3 - "$db" "$r/var/lib/rpm/rpmdb.sqlite" <<'PY'
import shutil, sqlite3, sys
src, out = sys.argv[1], sys.argv[2]
work = out + ".work"
shutil.copy(src, work)
c = sqlite3.connect(work)
c.execute("PRAGMA journal_mode=WAL")
c.execute("PRAGMA wal_autocheckpoint=0")
blob = [b for (b,) in c.execute("SELECT blob FROM Packages") if b"hello-tool" in b][0]
c.execute("INSERT INTO Packages(blob) VALUES (?)", (blob.replace(b"hello-tool", b"hello-wall"),))
c.commit()
shutil.copy(work, out)
shutil.copy(work + "-wal", out + "-wal")
c.close()
for suffix in ("", "-wal", "-shm"):
    try:
        import os
        os.unlink(work + suffix)
    except FileNotFoundError:
        pass
PY
    rm -rf "$r.rpmwork"
fi
