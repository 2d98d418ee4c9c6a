# HU006: passes
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN curl -fsSLo /tmp/i.sh https://example.com/install.sh && sha256sum -c sums && sh /tmp/i.sh
