#!/bin/sh
# hull inspect on every shared image in every form gives exactly the digests and sizes of its
# .truth.json: OCI layouts (manifest, config, layer digests, sizes, diff_ids, media types,
# created_by), docker-archives (config, diff_ids, uncompressed sizes; no manifest blob), the
# gzipped docker-archive (read once), the multi-arch index per platform, and an oci-archive.
. "$(dirname "$0")/lib.sh"
need_shared
IMG=$SHARED/images
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 missing"; exit 0; }

# compare MODE JSON TRUTH [PLATFORM_INDEX] -> prints "ok" or the differences
compare() {
    python3 - "$@" <<'PY'
import json, sys
mode, out, truth = sys.argv[1], sys.argv[2], sys.argv[3]
got, t = json.load(open(out)), json.load(open(truth))
bad = []
def eq(what, a, b):
    if a != b:
        bad.append("%s: got %r want %r" % (what, a, b))
if got.get("schema_version") != 1:
    bad.append("schema_version")
if mode == "multi":
    m = t["manifests"][int(sys.argv[4])]
    eq("manifest", got["manifest"]["digest"], m["digest"])
    eq("manifest size", got["manifest"]["size"], m["size"])
    eq("config", got["config"]["digest"], m["config_digest"])
    eq("layers", [l["digest"] for l in got["layers"]], m["layers"])
    p = m["platform"]
    eq("platform", (got["platform"]["os"], got["platform"]["architecture"],
                    got["platform"]["variant"]), (p["os"], p["architecture"], p.get("variant")))
else:
    eq("config", got["config"]["digest"], t["config"]["digest"])
    eq("config size", got["config"]["size"], t["config"]["size"])
    eq("layer count", len(got["layers"]), len(t["layers"]))
    eq("platform", (got["platform"]["os"], got["platform"]["architecture"],
                    got["platform"]["variant"]),
       (t["platform"]["os"], t["platform"]["architecture"], t["platform"]["variant"]))
    eq("total uncompressed", got["totals"]["uncompressed_size"],
       t["total_uncompressed_layer_bytes"])
    for g, w in zip(got["layers"], t["layers"]):
        i = w["index"]
        eq("layer %d diff_id" % i, g["diff_id"], w["diff_id"])
        eq("layer %d uncompressed" % i, g["uncompressed_size"], w["uncompressed_size"])
        eq("layer %d created_by" % i, g["created_by"], w["created_by"])
        if mode == "oci":
            eq("layer %d digest" % i, g["digest"], w["digest"])
            eq("layer %d size" % i, g["size"], w["size"])
            eq("layer %d media type" % i, g["media_type"], w["mediaType"])
        else:  # docker-archive: uncompressed blobs, the blob is the diff
            eq("layer %d digest" % i, g["digest"], w["diff_id"])
            eq("layer %d size" % i, g["size"], w["uncompressed_size"])
    if mode == "oci":
        eq("manifest", got["manifest"]["digest"], t["manifest"]["digest"])
        eq("manifest size", got["manifest"]["size"], t["manifest"]["size"])
        eq("total compressed", got["totals"]["size"], t["total_compressed_layer_bytes"])
    else:
        eq("manifest", got["manifest"], None)
        tags = t["docker_archives"][0]["manifest.json"][0]["RepoTags"]
        eq("name", got["name"], tags[0])
print("ok" if not bad else "; ".join(bad))
PY
}

for truth in "$IMG"/*.truth.json; do
    name=$(basename "$truth" .truth.json)
    [ "$name" = alpine-like-multiarch ] && continue
    run 0 "$HULL" inspect --format json "oci:$IMG/oci/$name"
    printf '%s\n' "$OUT" > "$TMP/out.json"
    is "$(compare oci "$TMP/out.json" "$truth")" ok "$name: oci layout matches its truth"
    for ar in $(python3 -c 'import json,sys; [print(a["path"]) for a in json.load(open(sys.argv[1])).get("docker_archives", [])]' "$truth"); do
        spec="$IMG/$ar"   # bare path: detected by content
        case "$ar" in *alpine*) spec="docker-archive:$IMG/$ar";; esac
        run 0 "$HULL" inspect --format json "$spec"
        printf '%s\n' "$OUT" > "$TMP/out.json"
        is "$(compare docker "$TMP/out.json" "$truth")" ok "$name: $ar matches its truth"
    done
done

truth=$IMG/alpine-like-multiarch.truth.json
i=0
for p in linux/amd64 linux/arm64/v8; do
    run 0 "$HULL" inspect --format json --platform "$p" "oci:$IMG/oci/alpine-like-multiarch:latest"
    printf '%s\n' "$OUT" > "$TMP/out.json"
    is "$(compare multi "$TMP/out.json" "$truth" $i)" ok "multiarch index: $p"
    i=$((i + 1))
done
run 0 "$HULL" inspect --format json --platform linux/arm64 "$IMG/oci/alpine-like-multiarch"
printf '%s\n' "$OUT" > "$TMP/out.json"
is "$(compare multi "$TMP/out.json" "$truth" 1)" ok "multiarch index: linux/arm64 means v8"
run 6 "$HULL" inspect --platform linux/s390x "$IMG/oci/alpine-like-multiarch"
one_line_error "platform not in the index"
like "$ERR" 'linux/amd64.*linux/arm64/v8' "the error lists the platforms there are"

# oci-archive: the alpine-like layout in a tar made here
tar -C "$IMG/oci/alpine-like" -cf "$TMP/alpine-like.oci.tar" oci-layout index.json blobs
run 0 "$HULL" inspect --format json "oci-archive:$TMP/alpine-like.oci.tar:latest"
printf '%s\n' "$OUT" > "$TMP/out.json"
is "$(compare oci "$TMP/out.json" "$IMG/alpine-like.truth.json")" ok "alpine-like as oci-archive"
done_testing
