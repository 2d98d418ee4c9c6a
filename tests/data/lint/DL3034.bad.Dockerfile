# DL3034: fails
FROM opensuse/leap:15@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN zypper install httpd && zypper clean
