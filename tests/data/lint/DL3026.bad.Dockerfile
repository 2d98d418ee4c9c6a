# DL3026: fails
FROM quay.io/org/img:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
