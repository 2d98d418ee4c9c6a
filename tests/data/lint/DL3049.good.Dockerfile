# DL3049: passes
# .hull.yaml: label-schema: {maintainer: email, version: semver, source: url, created: rfc3339, revision: hash, license: spdx}, strict-labels: true
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS build
RUN touch /out
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
COPY --from=build /out /out
LABEL maintainer=dev@example.com version=1.4.0 source=https://example.com/app \
      created=2024-05-01T12:00:00Z revision=0123abc license=Apache-2.0
