# DL3057: passes
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS base
HEALTHCHECK CMD ["/app", "--check"]
FROM base
CMD ["/app"]
