# DL3048: passes
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
LABEL org.opencontainers.image.source=https://example.com
