# DL3036: fails
FROM opensuse/leap:15@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN zypper -n install httpd
