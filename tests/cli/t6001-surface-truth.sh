#!/bin/sh
# Acceptance: for every shared image, in every form (OCI layout, docker-archive, gzipped
# docker-archive, both platforms of the multi-arch index), `hull surface --format json` gives
# the figures of its .truth.json: uncompressed and compressed size, layer count, /bin/sh,
# the package-manager binaries (one path per distinct binary), the package count, the OS,
# the user and exposed ports; plus the documented rating of each image on a fixed date.
# Any difference fails.
. "$(dirname "$0")/lib.sh"
need_shared
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 missing"; exit 0; }
IMG=$SHARED/images
for t in "$IMG"/*.truth.json; do
    n=$(basename "$t" .truth.json)
    case $n in
    alpine-like-multiarch)
        for p in linux/amd64 linux/arm64/v8; do
            run 0 "$HULL" surface -q --today 2025-01-01 --format json --platform "$p" \
                "oci:$IMG/oci/$n"
            printf '%s\n' "$OUT" > "$TMP/$n-${p##*/}.oci.json"
            echo "$IMG/alpine-like.truth.json $TMP/$n-${p##*/}.oci.json oci" >> "$TMP/pairs"
        done
        continue ;;
    esac
    run 0 "$HULL" surface -q --today 2025-01-01 --format json "oci:$IMG/oci/$n"
    printf '%s\n' "$OUT" > "$TMP/$n.oci.json"
    echo "$t $TMP/$n.oci.json oci" >> "$TMP/pairs"
    for d in "$IMG/docker/$n.tar" "$IMG/docker/$n.tar.gz"; do
        [ -f "$d" ] || continue
        run 0 "$HULL" surface -q --today 2025-01-01 --format json "$d"
        printf '%s\n' "$OUT" > "$TMP/$n.$(basename "$d").json"
        echo "$t $TMP/$n.$(basename "$d").json docker" >> "$TMP/pairs"
    done
done
python3 - "$TMP/pairs" "$_n" <<'EOF' || _failed=$((_failed + 1))
import json, sys

# The documented rating of each shared image on 2025-01-01 (docs/surface.md).
RATING = {"debian-bookworm-point": ("High", 7), "alpine-like": ("Medium", 5),
          "distroless-like": ("Low", 0), "distroless-like-zstd": ("Low", 0),
          "node-app": ("Low", 1), "multilayer-whiteout": ("Low", 1)}
pairs = [l.split() for l in open(sys.argv[1]) if l.strip()]
n = int(sys.argv[2])
failed = 0

def pkg_count(t):
    p = t.get("packages", {})
    c = 0
    for k in ("dpkg_status", "dpkg_status_d", "apk"):
        c += len(p.get(k, {}).get("packages", []))
    if "npm" in p:
        c += p["npm"]["unique_name_versions"]
    return c

for truth_path, hull_path, form in pairs:
    t = json.load(open(truth_path))
    doc = json.load(open(hull_path))
    imgs = doc["images"]
    h = imgs[0] if len(imgs) == 1 else {}
    cc = t["config"]["container_config"]
    want = {
        "size": t["total_uncompressed_layer_bytes"],
        # docker-archive layers are stored uncompressed: the blobs are the tars
        "compressed_size": t["total_compressed_layer_bytes"] if form == "oci"
                           else t["total_uncompressed_layer_bytes"],
        "layers": len(t["layers"]),
        "has_bin_sh": t["has_bin_sh"],
        "shell": t["has_bin_sh"],
        "package_manager_binaries": sorted(t["package_manager_binaries"]),
        "package_manager": bool(t["package_manager_binaries"]),
        "packages": pkg_count(t),
        "os_id": t["os"]["id"],
        "user": cc.get("User", ""),
        "runs_as_root": cc.get("User", "") in ("", "0", "root"),
        "exposed_ports": sorted(cc.get("ExposedPorts", {}) or {}),
        "rating": RATING[t["name"]],
        "eol_passed": False,
    }
    got = {
        "size": h.get("size"), "compressed_size": h.get("compressed_size"),
        "layers": h.get("layers"), "has_bin_sh": h.get("has_bin_sh"), "shell": h.get("shell"),
        "package_manager_binaries": h.get("package_manager_binaries"),
        "package_manager": h.get("package_manager"), "packages": h.get("packages"),
        "os_id": h.get("os", {}).get("id"), "user": h.get("user"),
        "runs_as_root": h.get("runs_as_root"), "exposed_ports": h.get("exposed_ports"),
        "rating": (h.get("rating"), h.get("score")),
        "eol_passed": h.get("eol", {}).get("passed"),
    }
    # the score is the sum of the listed reasons' points
    pts = sum(r["points"] for r in h.get("reasons", []))
    if pts != h.get("score"):
        got["reason_points"] = pts
        want["reason_points"] = h.get("score")
    n += 1
    name = "%s (%s): surface figures match the truth" % (t["name"], hull_path.rsplit("/", 1)[1])
    diffs = [k for k in want if want[k] != got.get(k)]
    if diffs:
        failed += 1
        print("not ok %d - %s" % (n, name))
        for k in diffs:
            print("# %s: want %r, got %r" % (k, want[k], got.get(k)))
    else:
        print("ok %d - %s" % (n, name))
print("1..%d" % n)
sys.exit(1 if failed else 0)
EOF
[ "$_failed" -eq 0 ]
