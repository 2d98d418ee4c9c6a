# DL3016: passes
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN npm install -g typescript@5.4.5 @scope/tool@1.0.0
