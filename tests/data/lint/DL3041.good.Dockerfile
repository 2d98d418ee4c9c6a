# DL3041: passes
FROM fedora:39@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN dnf install -y python3-devel-3.12.1 && dnf module install -y nodejs:20 && dnf clean all
