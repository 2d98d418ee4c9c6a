# DL3057: fails (off by default, as in hadolint; override its level to see it)
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
CMD ["/app"]
