# DL3048: fails
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
LABEL Invalid_Key=1
