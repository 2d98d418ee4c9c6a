# DL4001: fails
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN wget -q https://a/x
RUN curl -fsSLO https://a/y
