# DL3029: fails
FROM --platform=linux/amd64 debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
