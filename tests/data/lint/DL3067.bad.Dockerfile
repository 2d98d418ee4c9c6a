# DL3067: fails
FROM alpine:3.20@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS build
RUN true
FROM scratch
COPY --from=build / /
