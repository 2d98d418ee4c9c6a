# DL3061: passes
ARG V=12
FROM debian:$V
