# DL3035: fails
FROM opensuse/leap:15@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN zypper -n dist-upgrade && zypper clean
