#!/bin/sh
# docker-daemon: against a real Docker-compatible Engine API: podman's service on a private
# unix socket with its own vfs storage, loaded with a fixture built here. The image read from
# the engine must be the image that was loaded (same config digest, same inventory).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/t8-lib.inc"
if [ "$(id -u)" != 0 ] || ! command -v podman >/dev/null || ! command -v skopeo >/dev/null; then
    echo "1..0 # SKIP needs root, podman and skopeo (podman system service)"
    exit 0
fi
cat >"$TMP/spec.json" <<'J'
{"config": {"User": "1000", "Cmd": ["/bin/app"]},
 "layers": [{"files": {"etc/os-release": "ID=engine\nVERSION_ID=1\n",
                       "bin/app": {"data": "#!/bin/sh\n", "mode": 493}}},
            {"files": {"etc/motd": "hello\n"}}]}
J
mkimg "$TMP/spec.json" "$TMP/oci"
skopeo copy -q "oci:$TMP/oci:latest" "docker-archive:$TMP/img.tar:hulltest/engine:1" >/dev/null
PM="podman --root $TMP/st --runroot $TMP/run --tmpdir $TMP/ptmp --storage-driver vfs --events-backend none"
$PM load -q -i "$TMP/img.tar" >/dev/null 2>"$TMP/load.err" ||
    { echo "1..0 # SKIP podman load failed here: $(tail -1 "$TMP/load.err")"; exit 0; }
$PM system service --time=0 "unix://$TMP/engine.sock" >"$TMP/svc.log" 2>&1 </dev/null &
REG_PIDS="$!"
i=0
while ! curl -s --unix-socket "$TMP/engine.sock" http://d/_ping >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -gt 100 ] && { echo "1..0 # SKIP podman system service did not start"; exit 0; }
    sleep 0.1
done
export DOCKER_HOST="unix://$TMP/engine.sock"
mkdir -p "$TMP/tmp"
export TMPDIR="$TMP/tmp" # where hull spools the engine's archive; must be empty afterwards

cfg() { printf '%s\n' "$1" | sed -n 's/^Config: *//p'; }
run 0 "$HULL" inspect "docker-archive:$TMP/img.tar"
want=$(cfg "$OUT")
run 0 "$HULL" inspect docker-daemon:hulltest/engine:1
is "$(cfg "$OUT")" "$want" "the engine's image has the loaded config digest"
like "$OUT" 'Transport: *docker-daemon' "transport is docker-daemon"
like "$OUT" 'User: *1000' "config read through the engine"
run 0 "$HULL" sbom -f json -o "$TMP/a.json" docker-daemon:hulltest/engine:1
run 0 "$HULL" sbom -f json -o "$TMP/b.json" "docker-archive:$TMP/img.tar"
is "$(grep -v '"transport"\|"name": "docker\|"path"\|"spec"' "$TMP/a.json" | grep -c .)" \
   "$(grep -v '"transport"\|"name": "docker\|"path"\|"spec"' "$TMP/b.json" | grep -c .)" \
   "sbom from the engine has the archive's shape"
run 0 "$HULL" inspect "docker-daemon:$(printf '%s' "$want" | cut -c8-19)"
is "$(cfg "$OUT")" "$want" "an image ID prefix works"
run 6 "$HULL" inspect docker-daemon:hulltest/absent:1
one_line_error "image not in the engine"
run 2 "$HULL" inspect 'docker-daemon:bad?name'
one_line_error "invalid name"
run 4 env DOCKER_HOST="unix://$TMP/no.sock" "$HULL" inspect docker-daemon:hulltest/engine:1
one_line_error "no engine"
like "$ERR" 'engine socket' "says which socket"
run 7 env DOCKER_HOST=tcp://127.0.0.1:2375 "$HULL" inspect docker-daemon:hulltest/engine:1
one_line_error "tcp engine"
is "$(ls -A "$TMP/tmp")" "" "no temporary archive left behind"
"$HULL" db import --db "$TMP/demo.db" "$TOP/demo/feeds" >/dev/null 2>&1
run 0 "$HULL" image --db "$TMP/demo.db" -f json -o "$TMP/ie.json" --source engine hulltest/engine:1
run 0 "$HULL" image --db "$TMP/demo.db" -f json -o "$TMP/ia.json" "docker-archive:$TMP/img.tar"
is "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"])' "$TMP/ie.json")" \
   "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"])' "$TMP/ia.json")" \
   "hull image --source engine gives the archive's findings"
run 2 "$HULL" image --db "$TMP/demo.db" --source nowhere hulltest/engine:1
one_line_error "--source with an unknown value"
done_testing
