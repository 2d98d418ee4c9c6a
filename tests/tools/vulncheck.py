#!/usr/bin/env python3
"""Independent cross-check of `hull image` findings (issue 6 acceptance).

Parses the vulnerability feeds itself (Alpine secdb, Debian OVAL .xml.bz2, Debian DSA/DLA
lists, GitHub advisories in OSV JSON, Node.js security-WG npm index), takes the packages from
an image's ground-truth file (dpkg-query / apk db / npm ls, not hull's inventory), decides
which are vulnerable with

  * Debian: `dpkg --compare-versions` (all pairs in one shell run),
  * npm: the npm `semver` package (compare / satisfies, one node run),
  * Alpine: apk-tools' version order, re-implemented below from apk-tools' version.c,

and compares the set of (package, installed version, vulnerability id, fixed version,
status) with hull's JSON report. Any difference is printed and makes the exit status 1.

usage: vulncheck.py --feeds DIR --semver NODE_MODULES_DIR CASE...
       CASE = TRUTH_JSON:HULL_JSON
"""
import argparse
import bz2
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

CVE_RE = re.compile(r"^CVE-\d{4}-\d{4,}$")


def valid_id(i):
    return not i.startswith("CVE-") or CVE_RE.match(i) is not None


# ---------- apk version order (apk-tools src/version.c) ----------
PRE = {"alpha": 0, "beta": 1, "pre": 2, "rc": 3}
POST = {"cvs": 5, "svn": 6, "git": 7, "hg": 8, "p": 9}


def apk_parse(v):
    m = re.match(r"^(\d+(?:\.\d+)*)([a-z]?)((?:_[a-z]+\d*)*)(?:-r(\d+))?$", v)
    if not m:
        raise ValueError("bad apk version %r" % v)
    nums = m.group(1).split(".")
    sufs = []
    for s in re.findall(r"_([a-z]+)(\d*)", m.group(3)):
        rank = PRE.get(s[0], POST.get(s[0]))
        if rank is None:
            raise ValueError("bad apk suffix %r" % v)
        sufs.append((rank, int(s[1] or 0)))
    return nums, m.group(2), sufs, int(m.group(4) or 0)


def apk_cmp(a, b):
    na, la, sa, ra = apk_parse(a)
    nb, lb, sb, rb = apk_parse(b)
    for i in range(max(len(na), len(nb))):
        if i >= len(na):
            return -1
        if i >= len(nb):
            return 1
        x, y = na[i], nb[i]
        if i > 0 and (x.startswith("0") or y.startswith("0")):
            # apk compares components with a leading zero as decimal fractions
            c = (x > y) - (x < y)
        else:
            c = (int(x) > int(y)) - (int(x) < int(y))
        if c:
            return c
    if la != lb:
        return -1 if la < lb else 1
    for i in range(max(len(sa), len(sb))):
        x = sa[i] if i < len(sa) else (4, 0)  # no suffix sorts between pre and post
        y = sb[i] if i < len(sb) else (4, 0)
        if x != y:
            return -1 if x < y else 1
    return (ra > rb) - (ra < rb)


# ---------- batched comparators ----------
def dpkg_lt_batch(pairs):
    """{(a, b): a < b} with dpkg --compare-versions, one shell process."""
    pairs = sorted(set(pairs))
    if not pairs:
        return {}
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as f:
        for a, b in pairs:
            f.write("dpkg --compare-versions '%s' lt '%s' && echo 1 || echo 0\n" % (a, b))
        name = f.name
    try:
        out = subprocess.run(["sh", name], check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(name)
    res = out.split()
    assert len(res) == len(pairs)
    return {p: r == "1" for p, r in zip(pairs, res)}


NODE_PROG = r"""
const semver = require(process.argv[1] + '/semver');
const q = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = q.map(([op, a, b]) => {
  try {
    if (op === 'cmp') return semver.compare(a, b);
    if (op === 'sat') return semver.satisfies(a, b) ? 1 : 0;
  } catch (e) { return null; }
  return null;
});
process.stdout.write(JSON.stringify(out));
"""


def semver_batch(queries, modules):
    queries = sorted(set(queries))
    if not queries:
        return {}
    r = subprocess.run(["node", "-e", NODE_PROG, modules], input=json.dumps(queries),
                       check=True, capture_output=True, text=True)
    return dict(zip(queries, json.loads(r.stdout)))


# ---------- feeds ----------
def load_secdb(feeds, branch):
    """origin -> {id: (fixed or None for "0", [ids])} for Alpine vX.Y main+community."""
    out = {}
    for repo in ("main", "community"):
        p = os.path.join(feeds, "alpine", "secdb", branch, repo + ".json")
        if not os.path.exists(p):
            continue
        for pk in json.load(open(p))["packages"]:
            name = pk["pkg"]["name"]
            for ver, ids in pk["pkg"].get("secfixes", {}).items():
                for s in ids:
                    parts = s.split()
                    if not parts or not valid_id(parts[0]):
                        continue
                    fixed = None if ver == "0" else ver
                    d = out.setdefault(name, {})
                    prev = d.get(parts[0])
                    if prev is None:
                        d[parts[0]] = (fixed, parts)
                    elif prev[0] is not None and (fixed is None or apk_cmp(fixed, prev[0]) < 0):
                        d[parts[0]] = (fixed, parts)
    return out


def load_oval(feeds, sources):
    """source package -> [(canonical id, fixed or None)] from the bookworm OVAL."""
    p = os.path.join(feeds, "debian", "oval", "oval-definitions-bookworm.xml.bz2")
    out = {}
    ns = "{http://oval.mitre.org/XMLSchema/oval-definitions-5}"
    with bz2.open(p) as f:
        for _, el in ET.iterparse(f):
            if el.tag != ns + "definition":
                continue
            md = el.find(ns + "metadata")
            title = md.findtext(ns + "title") or ""
            plat = md.findtext(ns + "affected/" + ns + "platform") or ""
            parts = title.split()
            if len(parts) < 2 or plat != "Debian GNU/Linux 12":
                el.clear()
                continue
            adv, pkg = parts[0], parts[1]
            if pkg in sources:
                fixed = None
                for c in el.iter(ns + "criterion"):
                    m = re.match(r"^(\S+) DPKG is earlier than (\S+)$", c.get("comment", ""))
                    if m and m.group(1) == pkg:
                        fixed = m.group(2)
                refs = [r.get("ref_id") for r in md.findall(ns + "reference")]
                ids = [adv] + [r for r in refs if r and r != adv]
                cid = adv if adv.startswith("CVE-") else next(
                    (r for r in ids if r.startswith("CVE-")), adv)
                if valid_id(adv):
                    out.setdefault(pkg, []).append((cid, None if fixed == "0" else fixed))
            el.clear()
    return out


def load_dsa_bookworm(feeds, sources):
    """[bookworm] lines of the DSA/DLA lists: pkg -> [(canonical id, fixed)]."""
    out = {}
    for kind in ("DSA", "DLA"):
        p = os.path.join(feeds, "debian", "security-tracker", "data", kind, "list")
        if not os.path.exists(p):
            continue
        adv, cves = None, []
        for line in open(p, encoding="utf-8", errors="replace"):
            m = re.match(r"^\[[^\]]+\]\s+(\S+)", line)
            if m:
                adv, cves = m.group(1), []
                continue
            m = re.match(r"^\s+\{(.*)\}", line)
            if m:
                cves = m.group(1).split()
                continue
            m = re.match(r"^\s+\[bookworm\]\s+-\s+(\S+)\s+(\S+)", line)
            if m and adv and m.group(1) in sources and not m.group(2).startswith("<"):
                cid = next((c for c in cves if c.startswith("CVE-")), adv)
                out.setdefault(m.group(1), []).append((cid, m.group(2)))
    return out


def load_ghsa(feeds):
    recs = []
    for root, _, files in os.walk(os.path.join(feeds, "npm", "ghsa")):
        for fn in sorted(files):
            if fn.endswith(".json"):
                recs.append(json.load(open(os.path.join(root, fn))))
    return recs


def load_nodewg(feeds):
    p = os.path.join(feeds, "nodejs-security-wg", "vuln", "npm", "index.json")
    return json.load(open(p)) if os.path.exists(p) else {}


# ---------- expected findings ----------
def truth_packages(truth):
    pk = truth["packages"]
    deb, apk, npm = [], [], []
    for key in ("dpkg_status", "dpkg_status_d"):
        if key in pk:
            for p in pk[key]["packages"]:
                if p.get("status", "ii").startswith("i"):
                    deb.append(p)
    if "apk" in pk:
        apk = pk["apk"]["packages"]
    if "npm" in pk:
        npm = pk["npm"]["packages"]
    return deb, apk, npm


def merge(found, key, fixed, status, cmp):
    """one finding per (package, installed, id): a fix beats none, the higher fix wins."""
    prev = found.get(key)
    if prev is None:
        found[key] = (fixed, status)
    elif fixed is not None and (prev[0] is None or cmp(prev[0], fixed) < 0):
        found[key] = (fixed, "fixed")


def expected_debian(deb, feeds, oval_cache):
    found = {}
    pairs, cand = [], []
    if "oval" not in oval_cache:
        oval_cache["oval"] = load_oval(feeds, AllSources())
        oval_cache["dsa"] = load_dsa_bookworm(feeds, AllSources())
    for p in deb:
        src, sv = p["source"], p["source_version"]
        for cid, fixed in oval_cache["oval"].get(src, []) + oval_cache["dsa"].get(src, []):
            cand.append((p, cid, fixed))
            if fixed:
                pairs.append((sv, fixed))
    lt = dpkg_lt_batch(pairs)
    fixed_pairs = []
    for p, cid, fixed in cand:
        sv = p["source_version"]
        if fixed is None:
            merge(found, (p["name"], sv, cid), None, "affected", None)
        elif lt[(sv, fixed)]:
            fixed_pairs.append((p, cid, fixed))
    # merging two fixes needs a comparison too: do it with dpkg in a second batch
    prs = []
    for p, cid, fixed in fixed_pairs:
        k = (p["name"], p["source_version"], cid)
        if k in found and found[k][0]:
            prs.append((found[k][0], fixed))
    lt2 = dpkg_lt_batch(prs + [(b, a) for a, b in prs])
    for p, cid, fixed in fixed_pairs:
        merge(found, (p["name"], p["source_version"], cid), fixed, "fixed",
              lambda a, b: -1 if lt2.get((a, b)) else (1 if lt2.get((b, a)) else 0))
    return found


class AllSources:
    def __contains__(self, x):
        return True


def expected_alpine(apk, truth, feeds):
    ver = truth["os"].get("alpine_release") or truth["os"]["version_id"]
    branch = "v" + ".".join(ver.split(".")[:2])
    db = load_secdb(feeds, branch)
    found = {}
    for p in apk:
        origin = p.get("origin") or p["name"]
        for cid, (fixed, _) in db.get(origin, {}).items():
            if fixed is not None and apk_cmp(p["version"], fixed) < 0:
                merge(found, (p["name"], p["version"], cid), fixed, "fixed", apk_cmp)
    return found


def osv_entries(recs):
    """(name, record, affected entry) for npm entries of non-withdrawn records."""
    for r in recs:
        if r.get("withdrawn"):
            continue
        for a in r.get("affected", []):
            pkg = a.get("package", {})
            if pkg.get("ecosystem") == "npm":
                yield pkg["name"].lower(), r, a


def canonical(rid, aliases):
    if rid.startswith("CVE-"):
        return rid
    return next((x for x in aliases if x.startswith("CVE-")), rid)


def expected_npm(npm, feeds, modules):
    recs = load_ghsa(feeds)
    wg = load_nodewg(feeds)
    byname = {}
    for p in npm:
        byname.setdefault(p["name"].lower(), set()).add(p["version"])
    # first pass: every comparison the ranges need, in one node run
    q = []
    for name, r, a in osv_entries(recs):
        for v in byname.get(name, ()):
            for rg in a.get("ranges", []):
                for ev in rg.get("events", []):
                    for k, x in ev.items():
                        if x != "0":
                            q.append(("cmp", v, x))
    for e in wg.values():
        for v in byname.get(e["module_name"].lower(), ()):
            q.append(("sat", v, e["vulnerable_versions"]))
            m = re.match(r"^>=\s*(\S+)$", e.get("patched_versions") or "")
            if m:
                q.append(("cmp", v, m.group(1)))
    res = semver_batch(q, modules)

    def cmp(a, b):
        c = res.get(("cmp", a, b))
        if c is None:
            c2 = semver_batch([("cmp", a, b)], modules)[("cmp", a, b)]
            res[("cmp", a, b)] = c2
            return c2
        return c

    found = {}
    for name, r, a in osv_entries(recs):
        for v in sorted(byname.get(name, ())):
            hit, fixed = v in a.get("versions", []), None
            for rg in a.get("ranges", []):
                if rg.get("type") not in ("ECOSYSTEM", "SEMVER"):
                    continue
                evs = [(k, x) for ev in rg.get("events", []) for k, x in ev.items()]
                # interval reading of OSV: each introduced event opens a range that the
                # lowest later fixed / last_affected / limit event closes
                aff, fx = False, None
                for lo in [x for k, x in evs if k == "introduced"]:
                    if lo != "0" and cmp(v, lo) < 0:
                        continue
                    best = None
                    for k, x in evs:
                        if k in ("fixed", "last_affected", "limit") and \
                                (lo == "0" or cmp(x, lo) > 0) and \
                                (best is None or cmp(x, best[1]) < 0):
                            best = (k, x)
                    if best is None:
                        aff = True
                    elif best[0] == "last_affected":
                        aff = aff or cmp(v, best[1]) <= 0
                    elif cmp(v, best[1]) < 0:
                        aff = True
                        if best[0] == "fixed":
                            fx = best[1]
                if aff:
                    hit = True
                    if fx and (fixed is None or cmp(fx, fixed) < 0):
                        fixed = fx
            if hit:
                cid = canonical(r["id"], r.get("aliases", []))
                merge(found, (name_of(npm, name, v), v, cid),
                      fixed, "fixed" if fixed else "affected", cmp)
    for e in wg.values():
        name = e["module_name"].lower()
        for v in sorted(byname.get(name, ())):
            if res.get(("sat", v, e["vulnerable_versions"])) != 1:
                continue
            cid = next((c for c in e.get("cves", []) if c.startswith("CVE-")),
                       "NSWG-ECO-%s" % e["id"])
            m = re.match(r"^>=\s*(\S+)$", e.get("patched_versions") or "")
            fixed = m.group(1) if m and cmp(v, m.group(1)) < 0 else None
            merge(found, (name_of(npm, name, v), v, cid), fixed,
                  "fixed" if fixed else "affected", cmp)
    return found


def name_of(npm, lname, v):
    for p in npm:
        if p["name"].lower() == lname and p["version"] == v:
            return p["name"]
    return lname


def hull_findings(doc):
    got = {}
    for t in doc["results"]:
        for f in t["vulnerabilities"]:
            k = (f["package"]["name"], f["installed_version"], f["id"])
            if k in got:
                print("DUPLICATE in hull output: %s" % (k,))
            got[k] = (f.get("fixed_version"), f["status"])
    return got


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", required=True)
    ap.add_argument("--semver", help="node_modules directory holding semver")
    ap.add_argument("cases", nargs="+", metavar="TRUTH:HULLJSON")
    a = ap.parse_args()
    oval_cache = {}
    bad = 0
    for case in a.cases:
        tpath, hpath = case.split(":", 1)
        truth = json.load(open(tpath))
        hull = json.load(open(hpath))
        deb, apk, npm = truth_packages(truth)
        want = {}
        if deb:
            want.update(expected_debian(deb, a.feeds, oval_cache))
        if apk:
            want.update(expected_alpine(apk, truth, a.feeds))
        if npm:
            if not a.semver:
                print("# %s: npm packages but no semver module" % tpath)
                bad += 1
            else:
                want.update(expected_npm(npm, a.feeds, a.semver))
        got = hull_findings(hull)
        name = os.path.basename(tpath).replace(".truth.json", "")
        miss = sorted(set(want) - set(got))
        extra = sorted(set(got) - set(want))
        diff = sorted(k for k in set(want) & set(got) if want[k] != got[k])
        for k in miss:
            print("%s: MISSING in hull: %s %s" % (name, k, want[k]))
        for k in extra:
            print("%s: EXTRA in hull: %s %s" % (name, k, got[k]))
        for k in diff:
            print("%s: DIFFERS: %s want %s got %s" % (name, k, want[k], got[k]))
        bad += len(miss) + len(extra) + len(diff)
        print("%s: %d expected, %d from hull, %d differences" % (name, len(want), len(got),
                                                                 len(miss) + len(extra) +
                                                                 len(diff)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
