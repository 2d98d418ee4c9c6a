# DL4006: passes
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN wget -qO- https://a/x | tar xz
