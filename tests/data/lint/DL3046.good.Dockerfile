# DL3046: passes
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN useradd -l -u 1000000 app
