#!/usr/bin/env python3
"""A registry that misbehaves on purpose, for t8003-registry-errors.sh (loopback only).

Prints its port once listening. The repository name picks the behaviour:
  ok          a valid OCI manifest with Docker-Content-Digest
  nodigest    the same bytes without Docker-Content-Digest (client must hash them)
  baddigest   Docker-Content-Digest that does not match the bytes
  tamper      the same bytes for any reference (a fetch by another digest must fail)
  html        200 with an HTML login page
  html502     502 Bad Gateway with an HTML page, Retry-After: 0
  slow        replies after 4 seconds
  ratelimit   429 with Retry-After: 1 twice, then the manifest
  ratelong    429 with Retry-After: 3600
  ratelow     the manifest with "RateLimit-Remaining: 3;w=21600" (Docker Hub's header)
  big         a 5 MiB manifest
  schema1     a Docker schema 1 manifest
  notjson     a manifest content type with bytes that are not JSON
  redirect    307 to /store/..., which serves the manifest
  public      Bearer challenge; the anonymous token is accepted
  private     Bearer challenge; only the token for tester/tok-pass is accepted
  oauth       Bearer challenge; only the token from the OAuth2 refresh-token POST is accepted
  httprealm   Bearer challenge whose realm is plain http (to be refused over TLS)
  badchallenge  401 with an unparsable WWW-Authenticate
  nochallenge   401 without WWW-Authenticate
  img         (with an OCI layout directory as argv[1]) its image as img:1; blobs answer
              with a 307 redirect to /blobstore/DIGEST
  img-expiring  the same behind Bearer auth whose tokens expire after 2 requests each
GET /count/NAME returns how many manifest requests NAME got (/count/token: tokens issued).
With HTTPD_CERT and HTTPD_KEY in the environment it serves TLS.
"""
import hashlib
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OCI = "application/vnd.oci.image.manifest.v1+json"
MANIFEST = json.dumps({
    "schemaVersion": 2, "mediaType": OCI,
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
               "digest": "sha256:" + "a" * 64, "size": 2},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": "sha256:" + "b" * 64, "size": 3}],
}, separators=(",", ":")).encode()
DIGEST = "sha256:" + hashlib.sha256(MANIFEST).hexdigest()
SCHEMA1 = json.dumps({"schemaVersion": 1, "name": "schema1", "tag": "1", "fsLayers": []}).encode()
HTML = b"<!DOCTYPE html><html><body><h1>Please log in</h1></body></html>"
counts = {}
lock = threading.Lock()
PORT = 0
LAYOUT = sys.argv[1] if len(sys.argv) > 1 else None
token_uses = {}


def layout_blob(digest):
    if not LAYOUT or not digest.startswith("sha256:") or "/" in digest:
        return None
    path = os.path.join(LAYOUT, "blobs", "sha256", digest[7:])
    return open(path, "rb").read() if os.path.isfile(path) else None


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, code, body=b"", ctype=None, headers=()):
        self.send_response(code)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.handle_any()

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0") or 0)
        form = dict(kv.split("=", 1) for kv in self.rfile.read(n).decode().split("&") if "=" in kv)
        if (self.path == "/token" and form.get("grant_type") == "refresh_token"
                and form.get("refresh_token") == "refresh-123"
                and form.get("scope") == "repository%3Aoauth%3Apull"):
            return self.send(200, b'{"access_token":"oauth-token","expires_in":300}',
                             "application/json")
        return self.send(401, b'{"error":"invalid_grant"}', "application/json")

    def handle_any(self):
        p = self.path.split("?")[0]
        if p.startswith("/count/"):
            return self.send(200, str(counts.get(p[7:], 0)).encode(), "text/plain")
        if p == "/token" and "img-expiring" in self.path:
            with lock:
                counts["token"] = counts.get("token", 0) + 1
                tok = "exp-%d" % counts["token"]
                token_uses[tok] = 0
            return self.send(200, json.dumps({"token": tok}).encode(), "application/json")
        if p.startswith("/blobstore/"):
            b = layout_blob(p[len("/blobstore/"):])
            return self.send(200, b, "application/octet-stream") if b is not None else \
                self.send(404, b"", "application/json")
        if p.startswith("/v2/img") and LAYOUT:
            return self.serve_layout(p)
        if p == "/token":
            auth = self.headers.get("Authorization", "")
            if auth == "":
                return self.send(200, b'{"token":"anon-token","expires_in":60}', "application/json")
            import base64
            try:
                user, pw = base64.b64decode(auth.split(" ", 1)[1]).decode().split(":", 1)
            except Exception:
                return self.send(400, b'{"error":"bad header"}', "application/json")
            if (user, pw) == ("tester", "tok-pass"):
                return self.send(200, b'{"access_token":"good-token"}', "application/json")
            return self.send(401, b'{"error":"invalid_grant","error_description":"bad login"}',
                             "application/json")
        if p.startswith("/store/"):
            return self.send(200, MANIFEST, OCI, [("Docker-Content-Digest", DIGEST)])
        if p == "/v2/":
            return self.send(200, b"{}", "application/json")
        parts = p.split("/")
        if len(parts) < 5 or parts[1] != "v2" or parts[-2] != "manifests":
            return self.send(404, b'{"errors":[{"code":"NAME_UNKNOWN","message":"no"}]}',
                             "application/json")
        name, ref = "/".join(parts[2:-2]), parts[-1]
        with lock:
            counts[name] = counts.get(name, 0) + 1
            n = counts[name]
        auth = self.headers.get("Authorization", "")
        ok = [("Docker-Content-Digest", DIGEST)]
        if name == "ok":
            if ref.startswith("sha256:") and ref != DIGEST:
                return self.send(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}',
                                 "application/json")
            return self.send(200, MANIFEST, OCI, ok)
        if name == "ratelow":
            return self.send(200, MANIFEST, OCI, ok + [("RateLimit-Remaining", "3;w=21600")])
        if name == "nodigest":
            return self.send(200, MANIFEST, OCI)
        if name == "baddigest":
            return self.send(200, MANIFEST, OCI, [("Docker-Content-Digest", "sha256:" + "0" * 64)])
        if name == "tamper":
            return self.send(200, MANIFEST, OCI)
        if name == "html":
            return self.send(200, HTML, "text/html; charset=utf-8")
        if name == "html502":
            return self.send(502, HTML, "text/html", [("Retry-After", "0")])
        if name == "slow":
            time.sleep(4)
            return self.send(200, MANIFEST, OCI, ok)
        if name == "ratelimit":
            if n <= 2:
                return self.send(429, b'{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}',
                                 "application/json", [("Retry-After", "1")])
            return self.send(200, MANIFEST, OCI, ok)
        if name == "ratelong":
            return self.send(429, b'{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}',
                             "application/json", [("Retry-After", "3600")])
        if name == "big":
            return self.send(200, b'{"schemaVersion":2,"x":"' + b"x" * (5 << 20) + b'"}', OCI)
        if name == "schema1":
            return self.send(200, SCHEMA1, "application/vnd.docker.distribution.manifest.v1+prettyjws")
        if name == "notjson":
            return self.send(200, b"this is not json {", OCI)
        if name == "redirect":
            return self.send(307, b"", None, [("Location", "/store/" + DIGEST)])
        if name in ("public", "private", "oauth"):
            want = {"private": "Bearer good-token", "public": "Bearer anon-token",
                    "oauth": "Bearer oauth-token"}[name]
            if auth == want or (name == "public" and auth == "Bearer good-token"):
                return self.send(200, MANIFEST, OCI, ok)
            chal = ('Bearer realm="http://127.0.0.1:%d/token",service="hull-test",'
                    'scope="repository:%s:pull"' % (PORT, name))
            return self.send(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}',
                             "application/json", [("WWW-Authenticate", chal)])
        if name == "httprealm":
            return self.send(401, b"", "application/json",
                             [("WWW-Authenticate",
                               'Bearer realm="http://127.0.0.1:%d/token",service="t"' % PORT)])
        if name == "badchallenge":
            return self.send(401, b"", "application/json",
                             [("WWW-Authenticate", 'Bearer realm="http://127.0.0.1/tok')])
        if name == "nochallenge":
            return self.send(401, b"", "application/json")
        return self.send(404, b'{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known"}]}',
                         "application/json")


    def serve_layout(self, p):
        parts = p.split("/")  # /v2/NAME/(manifests|blobs)/REF
        name, kind, ref = parts[2], parts[3], parts[4] if len(parts) > 4 else ""
        if name == "img-expiring":
            auth = self.headers.get("Authorization", "")
            tok = auth[7:] if auth.startswith("Bearer ") else None
            with lock:
                ok = tok in token_uses and token_uses[tok] < 2
                if ok:
                    token_uses[tok] += 1
            if not ok:
                chal = ('Bearer realm="http://127.0.0.1:%d/token",service="t",'
                        'scope="repository:img-expiring:pull"' % PORT)
                return self.send(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"expired"}]}',
                                 "application/json", [("WWW-Authenticate", chal)])
        if kind == "manifests":
            ix = json.load(open(os.path.join(LAYOUT, "index.json")))
            d = ix["manifests"][0]["digest"] if ref == "1" else ref
            b = layout_blob(d)
            if b is None:
                return self.send(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN","message":"no"}]}',
                                 "application/json")
            return self.send(200, b, json.loads(b).get("mediaType", OCI),
                             [("Docker-Content-Digest", d)])
        if kind == "blobs":
            if layout_blob(ref) is None:
                return self.send(404, b"", "application/json")
            return self.send(307, b"", None, [("Location", "/blobstore/" + ref)])
        return self.send(404, b"", "application/json")


def main():
    global PORT
    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    srv.daemon_threads = True
    PORT = srv.server_address[1]
    if os.environ.get("HTTPD_CERT"):
        import ssl
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(os.environ["HTTPD_CERT"], os.environ["HTTPD_KEY"])
        srv.socket = tls.wrap_socket(srv.socket, server_side=True)
    print(PORT, flush=True)
    sys.stdout.close()
    srv.serve_forever()


if __name__ == "__main__":
    main()
