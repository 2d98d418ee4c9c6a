#!/bin/sh
# hull surface on small images built by tests/tools/mkimage.py that toggle one criterion at a
# time on top of a baseline (Debian 12 os-release, 3 dpkg packages, USER 65532, nothing else:
# rated Low with score 0). Each case checks the facts, the score, the rating and that the
# finding's reason (and advice, for scored findings) is listed: shells through symlinks and
# busybox applets, package managers, package counts, build tools from files and from the
# inventory, the user forms, setuid/setgid files, world-writable directories, EOL on a fixed
# date, the High combination, and other image forms (docker-archive, zstd, dir:).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 missing"; exit 0; }
python3 - "$HULL" "$TOP/tests/tools/mkimage.py" "$TMP" <<'EOF' || _failed=$((_failed + 1))
import copy, json, os, subprocess, sys

hull, mk, tmp = sys.argv[1:4]
n = 0
failed = 0

def ok(cond, name, diag=None):
    global n, failed
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, name))
    if not cond:
        failed += 1
        if diag:
            for l in str(diag).splitlines():
                print("# " + l)

def status(pkgs):
    return "".join("Package: %s\nStatus: install ok installed\nVersion: 1.0-1\n"
                   "Architecture: amd64\nMaintainer: t <t@example.org>\nDescription: t\n\n" % p
                   for p in pkgs)

def os_release(id_, ver):
    return 'ID=%s\nVERSION_ID="%s"\nPRETTY_NAME="%s %s"\n' % (id_, ver, id_, ver)

BASE = {
    "config": {"User": "65532", "Cmd": ["/app"]},
    "layers": [{"files": {
        "etc/os-release": os_release("debian", "12"),
        "etc/debian_version": "12.5\n",
        "etc/passwd": "root:x:0:0:root:/root:/sbin/nologin\n"
                      "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
                      "app:x:0:0:uid zero:/app:/sbin/nologin\n",
        "var/lib/dpkg/status": status(["base-files", "libc6", "tzdata"]),
        "app": {"data": "ELF\n", "mode": 0o755},
        "tmp/": {"dir": True, "mode": 0o1777},
    }}],
}

def image(name, files=None, config=None, form="oci", compression=None, drop=()):
    spec = copy.deepcopy(BASE)
    spec["layers"][0]["files"].update(files or {})
    for d in drop:
        del spec["layers"][0]["files"][d]
    spec["config"].update(config or {})
    sp = os.path.join(tmp, name + ".json")
    json.dump(spec, open(sp, "w"))
    out = os.path.join(tmp, name + ("" if form == "oci" else ".tar"))
    cmd = ["python3", mk, sp, out, "--form", form]
    if compression:
        cmd += ["--compression", compression]
    subprocess.run(cmd, check=True)
    return out

def surface(spec, today="2025-01-01", extra=()):
    p = subprocess.run([hull, "surface", "-q", "--format", "json", "--today", today, *extra,
                        spec], capture_output=True, text=True)
    if p.returncode != 0:
        return {"error": p.stderr.strip(), "rc": p.returncode}
    return json.loads(p.stdout)["images"][0]

def reasons(h):
    return {r["id"]: r["points"] for r in h.get("reasons", [])}

def check(name, h, rating, score, facts=None, reason=None, advice=True):
    diag = json.dumps(h, indent=1)[:3000]
    ok("error" not in h, name + ": scanned", h.get("error"))
    ok((h.get("rating"), h.get("score")) == (rating, score),
       "%s: rated %s (score %d)" % (name, rating, score),
       "got %r / %r\n%s" % (h.get("rating"), h.get("score"), diag))
    for k, v in (facts or {}).items():
        ok(h.get(k) == v, "%s: %s = %r" % (name, k, v), "got %r" % (h.get(k),))
    if reason:
        ok(reason in reasons(h), "%s: reason '%s' listed" % (name, reason), diag)
        if advice:
            ok(any(a["id"] == reason for a in h.get("advice", [])),
               "%s: advice for '%s'" % (name, reason), diag)
    ok(sum(reasons(h).values()) == h.get("score"), name + ": score = sum of reason points")

# Baseline: distroless-like, non-root: Low, nothing listed.
h = surface(image("base"))
check("baseline", h, "Low", 0, {"shell": False, "package_manager": False, "packages": 3,
                                "build_tools": [], "setuid": [], "world_writable_dirs": [],
                                "runs_as_root": False, "uid": 65532, "layers": 1})
ok(h.get("reasons") == [] and h.get("advice") == [], "baseline: no reasons, no advice", h)
ok(h.get("eol", {}).get("date") == "2028-06-30", "baseline: debian 12 EOL date from the table")

# Shells.
h = surface(image("sh-busybox", {"bin/busybox": {"data": "bb", "mode": 0o755},
                                 "bin/sh": {"symlink": "busybox"}}))
check("sh -> busybox", h, "Medium", 2, {"shell": True, "has_bin_sh": True,
                                        "shell_kinds": ["busybox"], "bin_sh": "/bin/busybox",
                                        "shells": ["/bin/busybox"]}, "shell")
h = surface(image("sh-dash", {"usr/bin/dash": {"data": "d", "mode": 0o755},
                              "bin": {"symlink": "usr/bin"}, "usr/bin/sh": {"symlink": "dash"}}))
check("merged /usr, /bin/sh -> dash", h, "Medium", 2,
      {"shell_kinds": ["dash"], "bin_sh": "/usr/bin/dash", "shells": ["/usr/bin/dash"]}, "shell")
h = surface(image("ash-applet", {"bin/busybox": {"data": "bb", "mode": 0o755},
                                 "bin/ash": {"symlink": "/bin/busybox"}}))
check("busybox applet without /bin/sh", h, "Medium", 2,
      {"shell": True, "has_bin_sh": False, "shell_kinds": ["busybox"]}, "shell")
h = surface(image("bash", {"usr/local/bin/bash": {"data": "b", "mode": 0o755}}))
check("bash in /usr/local/bin", h, "Medium", 2, {"shell_kinds": ["bash"]}, "shell")
h = surface(image("dangling-sh", {"bin/sh": {"symlink": "/bin/missing"}}))
check("dangling /bin/sh is no shell", h, "Low", 0, {"shell": False, "has_bin_sh": False})

# Package managers.
h = surface(image("apt", {"usr/bin/apt-get": {"data": "a", "mode": 0o755}}))
check("apt-get", h, "Medium", 2, {"package_manager": True, "package_managers": ["apt-get"],
                                  "package_manager_binaries": ["/usr/bin/apt-get"]},
      "package_manager")
npm_cli = "lib/node_modules/npm/bin/npm-cli.js"
h = surface(image("npm", {"usr/local/" + npm_cli: "js",
                          "usr/local/bin/npm": {"symlink": "../" + npm_cli}}))
check("npm through a symlink", h, "Medium", 2, {"package_managers": ["npm"]}, "package_manager")
h = surface(image("pip-dup", {"usr/bin/pip3": {"data": "p", "mode": 0o755},
                              "usr/bin/pip": {"symlink": "pip3"}}))
check("pip -> pip3 counted once", h, "Medium", 2,
      {"package_manager_binaries": ["/usr/bin/pip"], "package_managers": ["pip"]},
      "package_manager")

# Package counts: 51-100 is 1 point, more than 100 is 2.
pk60 = ["pkg%03d" % i for i in range(60)]
pk101 = ["pkg%03d" % i for i in range(101)]
h = surface(image("pk60", {"var/lib/dpkg/status": status(pk60)}))
check("60 packages", h, "Low", 1, {"packages": 60, "os_packages": 60}, "packages", advice=False)
h = surface(image("pk101", {"var/lib/dpkg/status": status(pk101)}))
check("101 packages", h, "Medium", 2, {"packages": 101}, "packages")
h = surface(image("pk50", {"var/lib/dpkg/status": status(pk60[:50])}))
check("50 packages", h, "Low", 0, {"packages": 50})

# Build tools: files, -dev packages, kernel headers; gcc-12-base is not one.
h = surface(image("gcc", {"usr/bin/gcc-12": {"data": "g", "mode": 0o755},
                          "usr/bin/gcc": {"symlink": "gcc-12"}, "usr/bin/cc": {"symlink": "gcc"},
                          "usr/bin/make": {"data": "m", "mode": 0o755}}))
check("gcc + make files", h, "Medium", 2, {"build_tools": ["gcc", "make"]}, "build_tools")
h = surface(image("devpkg", {"var/lib/dpkg/status": status(
    ["base-files", "libc6", "libc6-dev", "build-essential", "gcc-12-base"])}))
check("-dev and build-essential packages", h, "Medium", 2,
      {"build_tools": ["build-essential", "libc6-dev"]}, "build_tools")
h = surface(image("headers", {"usr/include/linux/types.h": "/* */"}))
check("kernel headers in /usr/include", h, "Medium", 2, {"build_tools": ["kernel-headers"]},
      "build_tools")
h = surface(image("git", {"usr/bin/git": {"data": "g", "mode": 0o755}}))
check("git", h, "Medium", 2, {"build_tools": ["git"]}, "build_tools")

# Users.
for user, root in (("", True), ("0", True), ("root", True), ("0:0", True), ("root:root", True),
                   ("app", True), ("65532:65532", False), ("nonroot", False)):
    h = surface(image("user-" + (user.replace(":", "_") or "empty"), config={"User": user}))
    check("USER %r" % user, h, "Low", 1 if root else 0,
          {"runs_as_root": root, "user": user}, "root" if root else None)
h = surface(image("user-ghost", config={"User": "ghost"}))
check("USER not in /etc/passwd", h, "Low", 0, {"runs_as_root": False},
      "user_unknown")
ok("uid" not in h, "USER ghost: no uid", h)

# setuid / setgid files and world-writable directories.
h = surface(image("suid", {"usr/bin/su": {"data": "s", "mode": 0o4755},
                           "usr/bin/wall": {"data": "w", "mode": 0o2755}}))
check("setuid + setgid", h, "Low", 1, {"setuid": ["/usr/bin/su"], "setgid": ["/usr/bin/wall"]},
      "setuid")
h = surface(image("ww", {"var/drop/": {"dir": True, "mode": 0o777}}))
check("world-writable dir", h, "Low", 1, {"world_writable_dirs": ["/var/drop"]},
      "world_writable")
h = surface(image("ww-sticky", {"var/drop/": {"dir": True, "mode": 0o1777}}))
check("world-writable dir with sticky bit", h, "Low", 0, {"world_writable_dirs": []})

# End of life on fixed dates: the EOL date itself is the last supported day.
img = image("deb10", {"etc/os-release": os_release("debian", "10")})
h = surface(img, today="2024-06-30")
check("debian 10 on its EOL day", h, "Low", 0, {})
ok(h.get("eol", {}).get("passed") is False, "debian 10 on 2024-06-30: not passed")
h = surface(img, today="2024-07-01")
check("debian 10 after EOL", h, "High", 6, {}, "eol")
ok(h.get("eol", {}).get("passed") is True, "debian 10 on 2024-07-01: passed")
h = surface(image("deb99", {"etc/os-release": os_release("debian", "99")}))
check("release not in the table", h, "Low", 0, {}, "eol_unknown", advice=False)
h = surface(image("alpine318", {"etc/os-release": os_release("alpine", "3.18.8"),
                                "etc/alpine-release": "3.18.8\n"},
                  drop=["var/lib/dpkg/status", "etc/debian_version"]), today="2025-05-10")
check("alpine 3.18 after 2025-05-09", h, "High", 6, {}, "eol")
old = os.environ.get("HULL_TODAY")
os.environ["HULL_TODAY"] = "2025-05-09"
p = subprocess.run([hull, "surface", "-q", "-f", "json", os.path.join(tmp, "alpine318")],
                   capture_output=True, text=True)
os.environ.pop("HULL_TODAY")
ok(p.returncode == 0 and json.loads(p.stdout)["images"][0]["eol"]["passed"] is False,
   "HULL_TODAY sets the date", p.stderr)

# The documented High combination: shell + package manager + more than 100 packages.
h = surface(image("high", {"bin/busybox": {"data": "bb", "mode": 0o755},
                           "bin/sh": {"symlink": "busybox"},
                           "usr/bin/apt-get": {"data": "a", "mode": 0o755},
                           "var/lib/dpkg/status": status(pk101)}))
check("shell + package manager + 101 packages", h, "High", 6, {}, "shell")

# Other forms: docker-archive (classic, blobs/, gzipped), oci-archive and zstd layers give the
# same facts; dir: trees work.
files = {"bin/busybox": {"data": "bb", "mode": 0o755}, "bin/sh": {"symlink": "busybox"}}
for form, comp in (("docker-archive", None), ("docker-blobs", None), ("docker-archive-gz", None),
                   ("oci-archive", None), ("oci", "zstd")):
    h = surface(image("form-" + form + str(comp), files, form=form, compression=comp))
    check("%s %s" % (form, comp or ""), h, "Medium", 2, {"shell_kinds": ["busybox"]}, "shell")

root = os.path.join(tmp, "rootfs")
os.makedirs(os.path.join(root, "etc"))
os.makedirs(os.path.join(root, "usr/bin"))
open(os.path.join(root, "etc/os-release"), "w").write(os_release("debian", "12"))
open(os.path.join(root, "usr/bin/bash"), "w").write("#!bash\n")
os.symlink("usr/bin", os.path.join(root, "bin"))
os.symlink("bash", os.path.join(root, "usr/bin/sh"))
open(os.path.join(root, "usr/bin/passwd"), "w").write("pw")
os.chmod(os.path.join(root, "usr/bin/passwd"), 0o4755)
h = surface("dir:" + root)
check("dir: tree", h, "Medium", 4, {"shell_kinds": ["bash"], "setuid": ["/usr/bin/passwd"],
                                    "layers": 0, "runs_as_root": True,
                                    "size": len(os_release("debian", "12")) + 7 + 2},
      "shell")
ok("compressed_size" not in h, "dir: has no compressed size", h)

# Many build tools (more than the table ever listed before): the table lists each once, and
# does not crash (it once overran a 16-entry buffer).
tools = ["gcc", "g++", "cc", "c++", "clang", "clang++", "make", "cmake", "ninja", "git", "gfortran",
         "rustc", "cargo", "go", "javac", "as", "ld", "autoconf", "automake", "libtool"]
many = {"usr/bin/" + t: {"data": t, "mode": 0o755} for t in tools}
many["var/lib/dpkg/status"] = status(["base-files", "build-essential"] +
                                     ["lib%d-dev" % i for i in range(20)])
spec = image("many-tools", many)
h = surface(spec)
ok(len(h.get("build_tools", [])) > 16, "more than 16 build tools found", h.get("build_tools"))
p = subprocess.run([hull, "surface", "-q", "--today", "2025-01-01", spec], capture_output=True,
                   text=True)
ok(p.returncode == 0, "table with %d build tools: exit 0" % len(h.get("build_tools", [])),
   p.stderr[-500:])
row = [l for l in p.stdout.splitlines() if "yes (" in l]
ok(row and all(row[0].count(t + ",") + row[0].count(t + ")") <= 1
               for t in h.get("build_tools", [])), "each build tool listed once", row)

print("1..%d" % n)
sys.exit(1 if failed else 0)
EOF
[ "$_failed" -eq 0 ]
