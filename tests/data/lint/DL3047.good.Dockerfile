# DL3047: passes
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN wget --progress=dot:giga https://example.com/x
