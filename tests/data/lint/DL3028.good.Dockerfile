# DL3028: passes
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN gem install bundler:2.5.0 && gem install rake -v 13.2.1
