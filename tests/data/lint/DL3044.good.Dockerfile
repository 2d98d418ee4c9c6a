# DL3044: passes
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV A=/opt
ENV B=$A/bin
