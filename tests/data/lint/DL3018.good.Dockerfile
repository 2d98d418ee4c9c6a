# DL3018: passes
FROM alpine:3.20@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN apk add --no-cache curl=8.9.1-r0
