# DL3041: fails
FROM fedora:39@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN dnf install -y python3-devel && dnf clean all
