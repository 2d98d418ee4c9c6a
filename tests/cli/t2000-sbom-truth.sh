#!/bin/sh
# Acceptance: for every shared image, in every form (OCI layout, docker-archive, gzipped
# docker-archive, both platforms of the multi-arch index), `hull sbom --format json` gives
# exactly the packages of its .truth.json: dpkg (name, version, source, source_version,
# arch), apk (name, version, origin, arch), npm (unique name@version); no package type the
# truth does not have; the right OS. Any difference in either direction fails.
. "$(dirname "$0")/lib.sh"
need_shared
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 missing"; exit 0; }
IMG=$SHARED/images
for t in "$IMG"/*.truth.json; do
    n=$(basename "$t" .truth.json)
    case $n in
    alpine-like-multiarch)
        for p in linux/amd64 linux/arm64/v8; do
            run 0 "$HULL" sbom -q --format json --platform "$p" "oci:$IMG/oci/$n"
            printf '%s\n' "$OUT" > "$TMP/$n-${p##*/}.oci.json"
            echo "$IMG/alpine-like.truth.json $TMP/$n-${p##*/}.oci.json" >> "$TMP/pairs"
        done
        continue ;;
    esac
    run 0 "$HULL" sbom -q --format json "oci:$IMG/oci/$n"
    printf '%s\n' "$OUT" > "$TMP/$n.oci.json"
    echo "$t $TMP/$n.oci.json" >> "$TMP/pairs"
    for d in "$IMG/docker/$n.tar" "$IMG/docker/$n.tar.gz"; do
        [ -f "$d" ] || continue
        run 0 "$HULL" sbom -q --format json "$d"
        printf '%s\n' "$OUT" > "$TMP/$n.$(basename "$d").json"
        echo "$t $TMP/$n.$(basename "$d").json" >> "$TMP/pairs"
    done
done
python3 - "$TMP/pairs" "$_n" <<'EOF' || _failed=$((_failed + 1))
import json, sys

pairs = [l.split() for l in open(sys.argv[1]) if l.strip()]
n = int(sys.argv[2])
failed = 0

def truth_sets(t):
    p = t.get("packages", {})
    deb, apk, npm = set(), set(), set()
    for k in ("dpkg_status", "dpkg_status_d"):
        for x in p.get(k, {}).get("packages", []):
            deb.add((x["name"], x["version"], x["source"], x["source_version"], x["arch"]))
    for x in p.get("apk", {}).get("packages", []):
        apk.add((x["name"], x["version"], x.get("origin") or "", x["arch"]))
    for x in p.get("npm", {}).get("packages", []):
        npm.add((x["name"], x["version"]))
    return {"deb": deb, "apk": apk, "npm": npm}

def hull_sets(h):
    out = {"deb": set(), "apk": set(), "npm": set()}
    other = []
    for x in h["packages"]:
        t = x["type"]
        if t == "deb":
            out[t].add((x["name"], x["version"], x.get("source_name", x["name"]),
                        x.get("source_version", x["version"]), x.get("arch", "")))
        elif t == "apk":
            out[t].add((x["name"], x["version"], x.get("origin", ""), x.get("arch", "")))
        elif t == "npm":
            out[t].add((x["name"], x["version"]))
        else:
            other.append(x.get("purl", x["name"]))
    return out, other

for truth_path, hull_path in pairs:
    n += 1
    t = json.load(open(truth_path))
    try:
        h = json.load(open(hull_path))
    except ValueError as e:
        print("not ok %d - %s: output is not JSON (%s)" % (n, hull_path, e))
        failed += 1
        continue
    want = truth_sets(t)
    got, other = hull_sets(h)
    diffs = []
    for k in want:
        for x in sorted(want[k] - got[k]):
            diffs.append("missing %s %s" % (k, x))
        for x in sorted(got[k] - want[k]):
            diffs.append("extra   %s %s" % (k, x))
    for x in other:
        diffs.append("extra   package of a type the truth lacks: %s" % x)
    tos = t["os"]
    wver = tos.get("debian_version") or tos.get("alpine_release") or tos.get("version_id")
    if h["os"].get("id") != tos["id"] or h["os"].get("version") != wver:
        diffs.append("os %s %s, want %s %s" % (h["os"].get("id"), h["os"].get("version"),
                                                 tos["id"], wver))
    total = sum(len(v) for v in want.values())
    name = "%s: %d packages exactly as the truth (%s)" % (
        hull_path.rsplit("/", 1)[-1], total, truth_path.rsplit("/", 1)[-1])
    if diffs:
        failed += 1
        print("not ok %d - %s" % (n, name))
        for d in diffs[:40]:
            print("#   " + d)
    else:
        print("ok %d - %s" % (n, name))
print("1..%d" % n)
sys.exit(1 if failed else 0)
EOF
[ "$_failed" -eq 0 ]
