# DL3020: passes
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ADD https://example.com/a.tar.gz /tmp/
ADD rootfs.tar.xz /
COPY app.py /app/
