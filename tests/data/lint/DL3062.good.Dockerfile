# DL3062: passes
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN go install github.com/x/tool@v1.2.3
