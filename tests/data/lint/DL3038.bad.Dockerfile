# DL3038: fails
FROM fedora:40@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN dnf install httpd && dnf clean all
