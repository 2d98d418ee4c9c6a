# DL3038: passes
FROM fedora:40@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN dnf install -y httpd && dnf clean all
