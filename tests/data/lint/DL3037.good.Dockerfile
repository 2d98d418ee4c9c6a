# DL3037: passes
FROM opensuse/leap:15.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN zypper install -y curl=8.0.1 'vim>=9' && zypper clean
