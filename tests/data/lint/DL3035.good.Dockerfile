# DL3035: passes
FROM opensuse/leap:15@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN zypper -n install httpd=2.4.58 && zypper clean
