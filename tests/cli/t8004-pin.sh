#!/bin/sh
# hull pin against a real registry: Dockerfiles (ARG defaults, flags, AS, casing, heredocs,
# continuations, comments, CRLF, backtick escape, stages, scratch), docker-compose and
# Kubernetes YAML; --check, --update after a tag moved, platform pins kept as platform pins.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/t8-lib.inc"
need_registry_tools
for v in 1 2; do
    printf '{"layers": [{"files": {"etc/os-release": "ID=pin\\nVERSION_ID=%s\\n"}}]}\n' $v \
        >"$TMP/spec$v.json"
    mkimg "$TMP/spec$v.json" "$TMP/base$v"
    mkimg "$TMP/spec$v.json" "$TMP/multi$v" --platforms linux/amd64,linux/arm64
done
reg_start
reg_push "oci:$TMP/base1:latest" t/base:1
reg_push "oci:$TMP/multi1:latest" t/multi:1 --all
R=$REG_HOST/t
SK=--tls-verify=false
B1=$(skopeo_digest "$R/base:1" $SK)
M1=$(skopeo_digest "$R/multi:1" $SK)
pick() { # REF ARCH: the child digest for ARCH, read independently of hull
    skopeo inspect --raw $SK "docker://$1" | python3 -c '
import json, sys
ix = json.load(sys.stdin)
print([m["digest"] for m in ix["manifests"] if m["platform"]["architecture"] == sys.argv[1]][0])' "$2"
}
P() { "$HULL" pin --insecure "$@"; }
cd "$TMP" || exit 1

{
    echo '# syntax=docker/dockerfile:1'
    echo "ARG BASE=$R/multi:1"
    echo 'ARG UNSET'
    echo 'FROM --platform=$BUILDPLATFORM ${BASE} AS build'
    echo 'RUN <<EOT'
    echo "FROM $R/base:1"
    echo 'EOT'
    echo 'RUN echo one \'
    echo "  # FROM $R/base:1 inside a continuation is a comment"
    echo '  two'
    echo "from   $R/base:1   as Final"
    echo 'FROM build'
    echo 'FROM scratch'
    echo "FROM \${UNSET:-$R/base:1}"
    echo "FROM $R/base:\${UNSET}"
    echo 'FROM \'
    echo "    $R/multi:1 \\"
    echo '    AS cont'
    echo 'COPY --from=build /a /b'
} >Dockerfile
sed -e "s|=$R/multi:1\$|=$R/multi:1@$M1|" -e "s|^from   $R/base:1 |from   $R/base:1@$B1 |" \
    -e "s|UNSET:-$R/base:1}|UNSET:-$R/base:1@$B1}|" -e "s|^    $R/multi:1 |    $R/multi:1@$M1 |" \
    Dockerfile >want
cp Dockerfile orig
run 1 P --check Dockerfile
like "$OUT" "Dockerfile:2: unpinned $R/multi:1 -> $R/multi:1@$M1" "--check lists the ARG default"
like "$OUT" "Dockerfile:11: unpinned" "--check lists the lower-case from"
like "$OUT" "Dockerfile:12: skipped build" "stage names are skipped"
like "$OUT" "Dockerfile:13: skipped scratch" "scratch is skipped"
like "$OUT" "Dockerfile:15: skipped .*fragments" "fragments are reported"
like "$ERR" "warning: Dockerfile:15" "fragments warn"
unlike "$OUT" ":6:|:9:" "heredoc bodies and comments are not references"
is "$(cat Dockerfile)" "$(cat orig)" "--check writes nothing"
run 0 P Dockerfile
if cmp -s Dockerfile want; then pass "only the image tokens changed, byte for byte"
else fail "only the image tokens changed, byte for byte" "$(diff want Dockerfile)"; fi
run 0 P --check Dockerfile
like "$OUT" "Dockerfile:2: current" "--check after pinning: current"
cp Dockerfile pinned1

# CRLF and the backtick escape
printf 'FROM %s/base:1 AS a\r\nRUN x\r\n' "$R" >crlf.Dockerfile
run 0 P crlf.Dockerfile
is "$(tr -cd '\r' <crlf.Dockerfile | wc -c | tr -d ' ')" 2 "CRLF kept"
like "$(cat crlf.Dockerfile)" "FROM $R/base:1@$B1 AS a" "CRLF file pinned"
printf '# escape=`\nFROM `\n  %s/base:1 `\n  AS b\nRUN dir c:\\\n' "$R" >tick.Dockerfile
run 0 P tick.Dockerfile
like "$(cat tick.Dockerfile)" "  $R/base:1@$B1 \`" "backtick continuation pinned in place"

# compose and Kubernetes
{
    echo 'services:'
    echo '  web:'
    echo "    image: $R/base:1   # the web tier"
    echo '  db:'
    echo "    image: \"$R/multi:1\""
    echo '  x:'
    echo '    image: ${IMG}'
    echo '    command: |'
    echo "      image: $R/base:1"
} >compose.yaml
{
    echo 'apiVersion: v1'
    echo 'kind: Pod'
    echo 'spec:'
    echo '  containers:'
    echo '    - name: a'
    echo "      image: $R/base:1"
    echo '  initContainers:'
    echo "  - image: '$R/multi:1'"
    echo '    name: b'
} >pod.yml
run 0 P compose.yaml pod.yml
like "$(cat compose.yaml)" "image: $R/base:1@$B1   # the web tier" "compose: pinned, comment kept"
like "$(cat compose.yaml)" "image: \"$R/multi:1@$M1\"" "compose: quoted value pinned"
like "$(cat compose.yaml)" "      image: $R/base:1\$" "compose: block scalar untouched"
like "$OUT" 'skipped \$\{IMG\}' "compose: variables skipped"
like "$(cat pod.yml)" "      image: $R/base:1@$B1" "k8s: container pinned"
like "$(cat pod.yml)" "  - image: '$R/multi:1@$M1'" "k8s: sequence entry pinned"

# the tags move
reg_push "oci:$TMP/base2:latest" t/base:1
reg_push "oci:$TMP/multi2:latest" t/multi:1 --all
B2=$(skopeo_digest "$R/base:1" $SK)
M2=$(skopeo_digest "$R/multi:1" $SK)
run 1 P --check Dockerfile
like "$OUT" "Dockerfile:2: stale $R/multi:1@$M1 -> $R/multi:1@$M2" "--check: stale ARG pin"
is "$(cat Dockerfile)" "$(cat pinned1)" "--check still writes nothing"
run 0 P Dockerfile
like "$OUT" "Dockerfile:2: kept" "without --update existing pins are kept"
run 0 P --update Dockerfile
like "$OUT" "Dockerfile:11: updated $R/base:1@$B1 -> $R/base:1@$B2" "--update refreshes a moved tag"
sed -e "s|$M1|$M2|g" -e "s|$B1|$B2|g" pinned1 >want2
if cmp -s Dockerfile want2; then pass "--update changed only the digests"
else fail "--update changed only the digests" "$(diff want2 Dockerfile)"; fi

# platform pins stay platform pins
reg_push "oci:$TMP/multi1:latest" t/multi:1 --all
A1=$(pick "$R/multi:1" arm64)
printf 'FROM %s/multi:1@%s AS arm\n' "$R" "$A1" >plat.Dockerfile
run 0 P --check plat.Dockerfile
like "$OUT" "current" "a child of the current index is current"
reg_push "oci:$TMP/multi2:latest" t/multi:1 --all
A2=$(pick "$R/multi:1" arm64)
run 0 P --update plat.Dockerfile
is "$(cat plat.Dockerfile)" "FROM $R/multi:1@$A2 AS arm" "a platform pin is refreshed to the same platform"
printf 'FROM %s/multi:1\n' "$R" >p2.Dockerfile
run 0 P --platform linux/amd64 p2.Dockerfile
is "$(cat p2.Dockerfile)" "FROM $R/multi:1@$(pick "$R/multi:1" amd64)" "--platform pins the child"

# an index that moved only because another architecture changed: tag 3 gets an index with
# multi1's amd64 manifest and multi2's arm64 manifest (PUT by hand, as a registry client)
skopeo inspect --raw $SK "docker://$R/multi@$M1" >"$TMP/ix1.json"
skopeo inspect --raw $SK "docker://$R/multi@$M2" >"$TMP/ix2.json"
python3 -c '
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
arch = lambda m: m["platform"]["architecture"]
a["manifests"] = [m for m in a["manifests"] if arch(m) == "amd64"] + \
                 [m for m in b["manifests"] if arch(m) == "arm64"]
sys.stdout.write(json.dumps(a))' "$TMP/ix1.json" "$TMP/ix2.json" >"$TMP/ix3.json"
curl -s -f -X PUT -H 'Content-Type: application/vnd.oci.image.index.v1+json' \
    --data-binary "@$TMP/ix3.json" "http://$REG_HOST/v2/t/multi/manifests/3" >/dev/null ||
    echo "Bail out! PUT of the hand-made index failed"
printf 'FROM %s/multi:3@%s\n' "$R" "$M1" >idx.Dockerfile
run 0 P --check --platform linux/amd64 idx.Dockerfile
like "$OUT" 'current .*linux/amd64 is unchanged' "--check --platform: the amd64 manifest did not change"
run 1 P --check --platform linux/arm64 idx.Dockerfile
like "$OUT" "stale $R/multi:3@$M1 -> $R/multi:3@sha256:" "--check --platform linux/arm64: stale"
run 1 P --check idx.Dockerfile
like "$OUT" "stale" "--check without a platform: the index moved"
run 0 P --update idx.Dockerfile
is "$(cat idx.Dockerfile)" "FROM $R/multi:3@sha256:$(sha256sum <"$TMP/ix3.json" | cut -d' ' -f1)" \
    "an index pin is refreshed to the new index (kind kept)"

# external images in COPY --from and RUN --mount from=
{
    echo 'FROM scratch AS s'
    echo "COPY --from=$R/base:1 /a /b"
    echo "RUN --mount=type=bind,from=$R/base:1,target=/m true"
    echo 'COPY --from=s /x /y'
} >from.Dockerfile
sed "s|$R/base:1|$R/base:1@$B2|" from.Dockerfile >from.want
run 0 P from.Dockerfile
is "$(cat from.Dockerfile)" "$(cat from.want)" \
    "COPY --from and RUN --mount from= images pinned, stage references left"

# an untagged reference resolved "latest", and the pin names that tag; name@digest has no tag
# to follow: --check and --update keep it
reg_push "oci:$TMP/base1:latest" t/app:latest
{
    echo "ARG APP=$R/app"
    echo 'FROM ${APP} AS a'
    echo "FROM $R/app"
    echo "FROM $R/app@$B1 AS d"
} >latest.Dockerfile
printf 'services:\n  app:\n    image: %s/app\n' "$R" >latest.yaml
run 0 P latest.Dockerfile latest.yaml
like "$OUT" "latest.Dockerfile:1: pinned $R/app -> $R/app:latest@$B1" "untagged ARG default: :latest@"
like "$OUT" "latest.Dockerfile:4: kept $R/app@$B1 \(pinned by digest without a tag" \
    "name@digest is kept"
printf 'ARG APP=%s/app:latest@%s\nFROM ${APP} AS a\nFROM %s/app:latest@%s\nFROM %s/app@%s AS d\n' \
    "$R" "$B1" "$R" "$B1" "$R" "$B1" >latest.want
is "$(cat latest.Dockerfile)" "$(cat latest.want)" "untagged FROM pinned as name:latest@digest"
is "$(cat latest.yaml)" "$(printf 'services:\n  app:\n    image: %s/app:latest@%s' "$R" "$B1")" \
    "untagged compose image pinned as name:latest@digest"
run 0 P --check latest.Dockerfile
like "$OUT" "latest.Dockerfile:3: current $R/app:latest@$B1" "--check: the :latest pin is current"
reg_push "oci:$TMP/base2:latest" t/app:latest
run 1 P --check latest.Dockerfile latest.yaml
like "$OUT" "latest.Dockerfile:3: stale $R/app:latest@$B1 -> $R/app:latest@$B2" "--check: latest moved"
like "$OUT" "latest.Dockerfile:4: kept $R/app@$B1" "--check: name@digest is not a finding"
run 0 P --update latest.Dockerfile latest.yaml
sed "s|:latest@$B1|:latest@$B2|g" latest.want >latest.want2
is "$(cat latest.Dockerfile)" "$(cat latest.want2)" "--update: :latest pins refreshed, name@digest left"
like "$(cat latest.yaml)" "image: $R/app:latest@$B2\$" "--update: compose :latest pin refreshed"

# failures leave files alone
printf 'FROM %s/base:1\nFROM %s/absent:1\n' "$R" "$R" >bad.Dockerfile
cp bad.Dockerfile bad.orig
run 6 P bad.Dockerfile
one_line_error "unknown image"
like "$ERR" 'bad.Dockerfile:2' "the error names file and line"
is "$(cat bad.Dockerfile)" "$(cat bad.orig)" "nothing written when one reference fails"
printf 'FROM %s/base:1\n' "$R" >good.Dockerfile
run 6 P bad.Dockerfile good.Dockerfile
like "$OUT" "good.Dockerfile:1: pinned" "a failing file does not stop the next one"
is "$(cat bad.Dockerfile)" "$(cat bad.orig)" "... and the failing one is untouched"
printf 'FROM %s/base:1\nRUN <<EOF\necho\n' "$R" >heredoc.Dockerfile
run 3 P heredoc.Dockerfile
one_line_error "unterminated heredoc"
run 6 P no-such-file
one_line_error "missing file"
printf 'hello world\n' >notes.txt
run 7 P notes.txt
one_line_error "unknown format"
run 0 "$HULL" pin --help
like "$OUT" '^usage: hull pin' "--help"
done_testing
