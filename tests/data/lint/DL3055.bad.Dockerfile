# DL3055: fails
# .hull.yaml: label-schema: {maintainer: email, version: semver, source: url, created: rfc3339, revision: hash, license: spdx}, strict-labels: true
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
LABEL revision=0123ABC
