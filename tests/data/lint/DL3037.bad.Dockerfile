# DL3037: fails
FROM opensuse/leap:15.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN zypper install -y curl && zypper clean
