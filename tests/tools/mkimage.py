#!/usr/bin/env python3
"""mkimage.py - build small container-image fixtures for hull's tests (stdlib + `zstd` CLI).

Usage:
    mkimage.py SPEC.json OUT [--form FORM] [--compression gzip|zstd|none] [--tag REF]
               [--also SPEC2.json=REF2 ...] [--platforms P1,P2,...] [--nested]
               [--tamper KIND]
    mkimage.py --demo-spec          print an example spec

SPEC (JSON):
    {
      "os": "linux", "architecture": "amd64", "variant": null,      (optional)
      "config": {"Env": [...], "Cmd": [...], "Entrypoint": [...], "User": "65532",
                 "WorkingDir": "/app", "ExposedPorts": {"8080/tcp": {}},
                 "Labels": {"k": "v"}},                              (optional)
      "layers": [
        {"created_by": "RUN something",                              (optional)
         "files": {
            "etc/os-release": "ID=test\\n",          regular file (text)
            "bin/tool": {"data": "...", "mode": 493}, file with mode (0755 = 493)
            "bin/sh": {"symlink": "busybox"},         symlink
            "usr/bin/ln": {"hardlink": "bin/tool"},   hardlink to an earlier entry
            "var/empty/": {"dir": true},              directory
            "etc/.wh.motd": "",                       whiteout (just a name)
            "opt/app/.wh..wh..opq": ""                opaque directory marker
         }},
        {"from_dir": "demo/image/base"},              a layer holding a directory tree from
                                                      disk (files, symlinks, dirs; relative to
                                                      the spec file; "files" may add more)
        {"empty": true, "created_by": "ENV A=b"}      history-only entry (no layer)
      ]
    }
Parent directories are added automatically; entries are sorted; mtime, uid, gid are fixed,
so the same spec always gives byte-identical blobs.

FORM (OUT is a directory for oci, else a file):
    oci               OCI image layout directory (index.json ref name = --tag, default latest)
    oci-archive       the same layout in a tar
    docker-archive    `docker save` classic layout: manifest.json, <config hex>.json,
                      <diffid hex>.tar and <id>/layer.tar as a SYMLINK to ../<diffid hex>.tar
    docker-blobs      Docker 25+ layout: manifest.json pointing into blobs/sha256/
    docker-archive-gz classic docker-archive, gzipped whole
--compression applies to layer blobs (default gzip for OCI forms, none for docker forms).
--also adds more images to a docker archive (multi-image archive selected by REF).
--platforms makes an OCI index with one manifest per platform (same layers, config relabelled).
--nested puts that index behind a second index (index.json -> index -> index -> manifests).

--tamper KIND (one per call):
    layer-digest   a layer blob's bytes changed after its digest was recorded
    diff-id        the config's first diff_id is wrong (config digest updated: consistent)
    diff-count     the config lists one diff_id fewer than the manifest has layers
    config-digest  the config blob changed after its digest was recorded
    manifest-digest  the manifest blob changed after index.json recorded its digest
    truncated      the first layer blob is cut in half (descriptor updated, so only the
                   decompressor can notice)
    missing-blob   the first layer blob is deleted
    big-manifest   the manifest is padded past 5 MiB (descriptor updated)
    dotdot-digest  index.json names the manifest "sha256:../../../etc/passwd"
    foreign-layer  the first layer's media type is a foreign (non-distributable) one
    bad-json       index.json is not JSON
    dotdot-path    (docker forms) manifest.json names the first layer "../../../etc/passwd"
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile

MTIME = 1700000000
MT_OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_OCI_INDEX = "application/vnd.oci.image.index.v1+json"
MT_OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = {
    "none": "application/vnd.oci.image.layer.v1.tar",
    "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
    "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
}
MT_FOREIGN = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"

DEMO = {
    "config": {"Env": ["PATH=/usr/bin:/bin"], "Cmd": ["/bin/sh"], "User": "1000",
               "ExposedPorts": {"8080/tcp": {}}, "Labels": {"org.example": "demo"}},
    "layers": [
        {"created_by": "ADD base", "files": {"etc/os-release": "ID=demo\n",
                                             "bin/busybox": {"data": "#!bb\n", "mode": 493},
                                             "bin/sh": {"symlink": "busybox"},
                                             "etc/motd": "hello\n"}},
        {"empty": True, "created_by": "ENV A=b"},
        {"created_by": "RUN rm /etc/motd", "files": {"etc/.wh.motd": "", "app/x": "x\n"}},
    ],
}


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def jdump(o):
    return json.dumps(o, separators=(",", ":"), sort_keys=False).encode()


def layer_tar(files):
    """Deterministic tar of a {path: content} map."""
    entries = {}
    for path, v in files.items():
        parts = path.strip("/").split("/")
        for i in range(1, len(parts)):
            entries.setdefault("/".join(parts[:i]) + "/", {"dir": True})
        entries[path.strip("/") + ("/" if path.endswith("/") else "")] = v
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for path in sorted(entries):
            v = entries[path]
            ti = tarfile.TarInfo(path.rstrip("/"))
            ti.mtime, ti.uid, ti.gid, ti.uname, ti.gname = MTIME, 0, 0, "", ""
            data = None
            if isinstance(v, str):
                data, ti.mode = v.encode(), 0o644
            elif v.get("dir"):
                ti.type, ti.mode = tarfile.DIRTYPE, v.get("mode", 0o755)
            elif "symlink" in v:
                ti.type, ti.linkname, ti.mode = tarfile.SYMTYPE, v["symlink"], 0o777
            elif "hardlink" in v:
                ti.type, ti.linkname, ti.mode = tarfile.LNKTYPE, v["hardlink"], 0o644
            elif "bytes" in v:
                data, ti.mode = v["bytes"], v.get("mode", 0o644)
            else:
                data, ti.mode = v.get("data", "").encode(), v.get("mode", 0o644)
            if data is not None:
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
            else:
                t.addfile(ti)
    return buf.getvalue()


def tree_files(root):
    """{relative path: spec value} for a directory tree on disk."""
    out = {}
    for d, dirs, names in os.walk(root):
        dirs.sort()
        for n in sorted(dirs) + sorted(names):
            full = os.path.join(d, n)
            rel = os.path.relpath(full, root)
            if os.path.islink(full):
                out[rel] = {"symlink": os.readlink(full)}
            elif os.path.isdir(full):
                out[rel + "/"] = {"dir": True}
            else:
                with open(full, "rb") as f:
                    out[rel] = {"bytes": f.read(), "mode": os.stat(full).st_mode & 0o7777}
    return out


def compress(data, comp):
    if comp == "gzip":
        return gzip.compress(data, compresslevel=6, mtime=0)
    if comp == "zstd":
        return subprocess.run(["zstd", "-q", "-c", "-3"], input=data, stdout=subprocess.PIPE,
                              check=True).stdout
    return data


class Image:
    """One image: layer blobs, config, manifest (all bytes), for one platform."""

    def __init__(self, spec, comp, platform=None, tamper=None):
        self.blobs = {}
        self.layers = []  # (digest, size, mediatype, diff_id, raw tar)
        history, diff_ids = [], []
        for l in spec.get("layers", []):
            h = {"created": "2023-11-14T22:13:20Z", "created_by": l.get("created_by", "")}
            if l.get("empty"):
                h["empty_layer"] = True
                history.append(h)
                continue
            history.append(h)
            files = {}
            if l.get("from_dir"):
                files.update(tree_files(os.path.join(spec.get("_base", "."), l["from_dir"])))
            files.update(l.get("files", {}))
            raw = layer_tar(files)
            blob = compress(raw, comp)
            d = sha(blob)
            self.blobs[d] = blob
            self.layers.append([d, len(blob), MT_LAYER[comp], sha(raw), raw])
            diff_ids.append(sha(raw))
        os_, arch, variant = spec.get("os", "linux"), spec.get("architecture", "amd64"), \
            spec.get("variant")
        if platform:
            p = platform.split("/")
            os_, arch, variant = p[0], p[1], p[2] if len(p) > 2 else None
        self.platform = {"architecture": arch, "os": os_}
        if variant:
            self.platform["variant"] = variant
        cfg = {"created": "2023-11-14T22:13:20Z", "architecture": arch, "os": os_}
        if variant:
            cfg["variant"] = variant
        cfg["config"] = spec.get("config", {})
        if tamper == "diff-id" and diff_ids:
            diff_ids[0] = "sha256:" + "0" * 64
        if tamper == "diff-count" and diff_ids:
            diff_ids = diff_ids[1:]
        cfg["rootfs"] = {"type": "layers", "diff_ids": diff_ids}
        cfg["history"] = history
        self.config = jdump(cfg)
        self.config_digest = sha(self.config)
        self.blobs[self.config_digest] = self.config
        if tamper == "foreign-layer" and self.layers:
            self.layers[0][2] = MT_FOREIGN
        man = {"schemaVersion": 2, "mediaType": MT_OCI_MANIFEST,
               "config": {"mediaType": MT_OCI_CONFIG, "digest": self.config_digest,
                          "size": len(self.config)},
               "layers": [{"mediaType": mt, "digest": d, "size": s}
                          for d, s, mt, _, _ in self.layers]}
        self.manifest = jdump(man)
        if tamper == "big-manifest":
            self.manifest = self.manifest[:-1] + b" " * (5 << 20) + b"}"
        self.manifest_digest = sha(self.manifest)
        self.blobs[self.manifest_digest] = self.manifest


def desc(mt, digest, size, **extra):
    d = {"mediaType": mt, "digest": digest, "size": size}
    d.update(extra)
    return d


def oci_files(args, spec):
    """{path: bytes} of an OCI layout."""
    files = {"oci-layout": b'{"imageLayoutVersion":"1.0.0"}'}
    blobs = {}
    ref = {"org.opencontainers.image.ref.name": args.tag or "latest"}
    if args.platforms:
        ims = [Image(spec, args.compression, p, args.tamper) for p in args.platforms.split(",")]
        for im in ims:
            blobs.update(im.blobs)
        ix = jdump({"schemaVersion": 2, "mediaType": MT_OCI_INDEX,
                    "manifests": [desc(MT_OCI_MANIFEST, im.manifest_digest, len(im.manifest),
                                       platform=im.platform) for im in ims]})
        blobs[sha(ix)] = ix
        top = desc(MT_OCI_INDEX, sha(ix), len(ix), annotations=ref)
        if args.nested:
            outer = jdump({"schemaVersion": 2, "mediaType": MT_OCI_INDEX,
                           "manifests": [desc(MT_OCI_INDEX, sha(ix), len(ix))]})
            blobs[sha(outer)] = outer
            top = desc(MT_OCI_INDEX, sha(outer), len(outer), annotations=ref)
        first = ims[0]
    else:
        first = Image(spec, args.compression, None, args.tamper)
        blobs.update(first.blobs)
        top = desc(MT_OCI_MANIFEST, first.manifest_digest, len(first.manifest), annotations=ref)
    entries = [top]
    for extra in args.also or []:
        path, _, tag = extra.partition("=")
        im = Image(load_spec(path), args.compression)
        blobs.update(im.blobs)
        entries.append(desc(MT_OCI_MANIFEST, im.manifest_digest, len(im.manifest),
                            annotations={"org.opencontainers.image.ref.name": tag}))
    if args.tamper == "dotdot-digest":
        entries[0]["digest"] = "sha256:../../../etc/passwd"
    files["index.json"] = jdump({"schemaVersion": 2, "mediaType": MT_OCI_INDEX,
                                 "manifests": entries})
    if args.tamper == "bad-json":
        files["index.json"] = b'{"schemaVersion": 2, "manifests": ['
    for d, b in blobs.items():
        files["blobs/sha256/" + d[7:]] = b
    tamper_blobs(args, first, files, lambda d: "blobs/sha256/" + d[7:])
    return files


def tamper_blobs(args, im, files, path_of):
    t = args.tamper
    if not im.layers and t in ("layer-digest", "truncated", "missing-blob"):
        sys.exit("mkimage: tamper %s needs a layer" % t)
    if t == "layer-digest":
        p = path_of(im.layers[0][0])
        b = bytearray(files[p])
        b[len(b) // 2] ^= 0xff
        files[p] = bytes(b)
    elif t == "missing-blob":
        del files[path_of(im.layers[0][0])]
    elif t == "config-digest":
        p = path_of(im.config_digest)
        files[p] = files[p].replace(b'"os":', b'"os" :', 1)
    elif t == "manifest-digest" and im.manifest_digest:
        p = path_of(im.manifest_digest)
        files[p] = files[p].replace(b'"schemaVersion":2', b'"schemaVersion": 2', 1)


def docker_files(args, spec, layout):
    """{path: bytes or ('symlink', target)} of a docker-archive."""
    comp = args.compression
    files, manifest, repos = {}, [], {}
    images = [(spec, args.tag or "example.com/test/image:latest")]
    for extra in args.also or []:
        path, _, tag = extra.partition("=")
        images.append((load_spec(path), tag))
    first = None
    for n, (sp, tag) in enumerate(images):
        im = Image(sp, comp, None, args.tamper if n == 0 else None)
        first = first or im
        if layout == "blobs":
            cfg_path = "blobs/sha256/" + im.config_digest[7:]
            files[cfg_path] = im.config
            lpaths = []
            for d, _, _, _, _ in im.layers:
                files["blobs/sha256/" + d[7:]] = im.blobs[d]
                lpaths.append("blobs/sha256/" + d[7:])
        else:
            cfg_path = im.config_digest[7:] + ".json"
            files[cfg_path] = im.config
            lpaths, parent = [], ""
            for d, _, _, diff, _ in im.layers:
                lid = hashlib.sha256((parent + diff).encode()).hexdigest()
                files[diff[7:] + ".tar"] = im.blobs[d]
                files[lid + "/layer.tar"] = ("symlink", "../" + diff[7:] + ".tar")
                files[lid + "/VERSION"] = b"1.0"
                files[lid + "/json"] = jdump({"id": lid})
                lpaths.append(lid + "/layer.tar")
                parent = lid
        manifest.append({"Config": cfg_path, "RepoTags": [tag], "Layers": lpaths})
        name, _, t = tag.rpartition(":")
        repos.setdefault(name, {})[t] = lpaths[-1].split("/")[0] if lpaths else ""
    if args.tamper == "dotdot-path":
        manifest[0]["Layers"][0] = "../../../etc/passwd"
    files["manifest.json"] = jdump(manifest)
    files["repositories"] = jdump(repos)
    if layout == "blobs":
        files["oci-layout"] = b'{"imageLayoutVersion":"1.0.0"}'
    if first.layers:
        d0 = first.layers[0][0]
        p0 = ("blobs/sha256/" + d0[7:]) if layout == "blobs" else first.layers[0][3][7:] + ".tar"
        if args.tamper == "layer-digest":
            b = bytearray(files[p0])
            b[len(b) // 2] ^= 0xff
            files[p0] = bytes(b)
        elif args.tamper == "missing-blob":
            del files[p0]
    if args.tamper == "config-digest":
        p = ("blobs/sha256/" if layout == "blobs" else "") + first.config_digest[7:] + \
            ("" if layout == "blobs" else ".json")
        files[p] = files[p].replace(b'"os":', b'"os" :', 1)
    return files


def write_tar(files, fileobj):
    with tarfile.open(fileobj=fileobj, mode="w", format=tarfile.PAX_FORMAT) as t:
        dirs = set()
        for p in files:
            parts = p.split("/")
            for i in range(1, len(parts)):
                dirs.add("/".join(parts[:i]))
        for p in sorted(set(files) | dirs):
            ti = tarfile.TarInfo(p)
            ti.mtime, ti.uid, ti.gid = MTIME, 0, 0
            v = files.get(p)
            if v is None:
                ti.type, ti.mode = tarfile.DIRTYPE, 0o755
                t.addfile(ti)
            elif isinstance(v, tuple):
                ti.type, ti.linkname, ti.mode = tarfile.SYMTYPE, v[1], 0o777
                t.addfile(ti)
            else:
                ti.size, ti.mode = len(v), 0o644
                t.addfile(ti, io.BytesIO(v))


def load_spec(path):
    if path == "-":
        return DEMO
    with open(path) as f:
        spec = json.load(f)
    spec["_base"] = os.path.dirname(os.path.abspath(path))
    return spec


def main():
    ap = argparse.ArgumentParser(description="build image fixtures (see the file header)")
    ap.add_argument("spec", nargs="?")
    ap.add_argument("out", nargs="?")
    ap.add_argument("--form", default="oci",
                    choices=["oci", "oci-archive", "docker-archive", "docker-blobs",
                             "docker-archive-gz"])
    ap.add_argument("--compression", choices=["gzip", "zstd", "none"])
    ap.add_argument("--tag")
    ap.add_argument("--also", action="append")
    ap.add_argument("--platforms")
    ap.add_argument("--nested", action="store_true")
    ap.add_argument("--tamper")
    ap.add_argument("--demo-spec", action="store_true")
    args = ap.parse_args()
    if args.demo_spec:
        print(json.dumps(DEMO, indent=2))
        return
    if not args.spec or not args.out:
        ap.error("SPEC and OUT are required")
    spec = load_spec(args.spec)
    if args.compression is None:
        args.compression = "gzip" if args.form.startswith("oci") else "none"
    if args.tamper == "truncated":
        # Cut the first layer's compressed bytes and make the descriptors agree, so only
        # the decompressor can tell.
        args.tamper = None
        real = compress
        state = {"done": False}

        def cut(data, comp):
            b = real(data, comp)
            if not state["done"]:
                state["done"] = True
                return b[: len(b) // 2]
            return b
        globals()["compress"] = cut
    if args.form in ("oci", "oci-archive"):
        files = oci_files(args, spec)
    else:
        files = docker_files(args, spec, "blobs" if args.form == "docker-blobs" else "classic")
    if args.form == "oci":
        if os.path.exists(args.out):
            shutil.rmtree(args.out)
        for p, b in files.items():
            full = os.path.join(args.out, p)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(b)
        return
    tmp = args.out + ".tmp"
    with open(tmp, "wb") as f:
        if args.form == "docker-archive-gz":
            with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, compresslevel=6) as g:
                write_tar(files, g)
        else:
            write_tar(files, f)
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
