# DL3027: passes
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN apt-get install -y --no-install-recommends curl=7.88.1-10
